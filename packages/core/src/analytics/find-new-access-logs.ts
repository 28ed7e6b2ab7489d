import type { PrismaClient } from "@dandi/db";
import type { AccessLogSource } from "./access-log-source";

/** Log files in the source that have not been counted yet (checked against access_log_files in batches). */
export async function findNewAccessLogs(db: PrismaClient, source: AccessLogSource, limit = 10_000): Promise<string[]> {
  const fresh: string[] = [];
  let batch: string[] = [];
  const flush = async () => {
    const seen = new Set(
      (await db.accessLogFile.findMany({ where: { key: { in: batch } }, select: { key: true } })).map((r) => r.key),
    );
    fresh.push(...batch.filter((k) => !seen.has(k)));
    batch = [];
  };
  for await (const key of source.list()) {
    batch.push(key);
    if (batch.length === 1000) await flush();
    if (fresh.length >= limit) break;
  }
  if (batch.length) await flush();
  return fresh.slice(0, limit);
}
