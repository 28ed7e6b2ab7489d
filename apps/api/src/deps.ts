import fs from "node:fs";
import path from "node:path";
import { createPrisma } from "@dandi/db";
import { JobsClient, throttledErrorLog } from "@dandi/jobs";
import { REPO_ROOT, SchemaCatalog, createLogger, createMailer, createStorage, type TConfig } from "@dandi/core";
import { createSessionBackend } from "./middleware/session";
import type { AppDeps } from "./context";

/** The archive's version, from the root package.json. */
export function readAppVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** Builds the process-wide dependencies from a parsed config. */
export async function buildDeps(config: TConfig): Promise<AppDeps> {
  // JSON lines on stdout, without credentials or URL signatures (createLogger).
  const logger = createLogger({ config, base: { process: "api" } });
  const prisma = createPrisma({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const schemas = await SchemaCatalog.load(config);
  const storage = createStorage(config);
  const mailer = createMailer({ config, logger });
  // Redis may be down, at start or later: the API starts anyway and reconnects by itself.
  const sessions = await createSessionBackend(config, undefined, {
    onError: throttledErrorLog((err) => logger.warn({ err: err.message }, "session Redis unavailable")),
  });
  return {
    config,
    logger,
    prisma,
    schemas,
    storage,
    mailer,
    sessions,
    jobs: new JobsClient({
      redisUrl: config.REDIS_URL,
      prefix: config.JOBS_PREFIX,
      onError: throttledErrorLog((err) => logger.warn({ err: err.message }, "job queue Redis unavailable")),
    }),
    version: readAppVersion(),
  };
}
