import { createInterface } from "node:readline";
import type { PrismaClient } from "@dandi/db";
import type { AccessLogSource } from "./access-log-source";
import { parseAccessLogLine } from "./parse-access-log-line";

export interface ProcessAccessLogOptions {
  db: PrismaClient;
  source: AccessLogSource;
  logKey: string;
}

export type TProcessAccessLogResult =
  { status: "counted"; hits: number; blobs: number } | { status: "already-processed" };

/**
 * Counts the successful full GETs (REST.GET.OBJECT, 200) of blobs in one S3
 * access-log file and adds them to asset_blobs.download_count. The file's row
 * in access_log_files is written in the same transaction as the counts, so a
 * file is counted exactly once however often the job runs.
 */
export async function processAccessLog(options: ProcessAccessLogOptions): Promise<TProcessAccessLogResult> {
  const { db, source, logKey } = options;
  if (await db.accessLogFile.findUnique({ where: { key: logKey } })) return { status: "already-processed" };
  const counts = new Map<string, number>();
  const lines = createInterface({ input: await source.read(logKey), crlfDelay: Infinity });
  for await (const line of lines) {
    const entry = parseAccessLogLine(line);
    if (!entry || entry.operation !== "REST.GET.OBJECT" || entry.httpStatus !== 200) continue;
    if (!entry.key.startsWith("blobs/")) continue;
    counts.set(entry.key, (counts.get(entry.key) ?? 0) + 1);
  }
  const hits = [...counts.values()].reduce((a, b) => a + b, 0);
  return db.$transaction(async (tx) => {
    const claimed = await tx.$executeRaw`
      INSERT INTO access_log_files (key, download_hits) VALUES (${logKey}, ${hits}) ON CONFLICT (key) DO NOTHING`;
    if (claimed === 0) return { status: "already-processed" } as const;
    const keys = [...counts.keys()];
    const ns = keys.map((k) => counts.get(k)!);
    const blobs = keys.length
      ? await tx.$executeRaw`
          UPDATE asset_blobs b SET download_count = b.download_count + v.n
          FROM unnest(${keys}::text[], ${ns}::int[]) AS v(key, n) WHERE b.key = v.key`
      : 0;
    return { status: "counted", hits, blobs } as const;
  });
}
