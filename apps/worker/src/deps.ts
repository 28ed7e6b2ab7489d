import type { Logger } from "pino";
import { createPrisma, type PrismaClient } from "@dandi/db";
import {
  createAccessLogSource,
  createLogger,
  createMailer,
  createStorage,
  type AccessLogSource,
  type Mailer,
  type SchemaCatalog,
  type Storage,
  type TConfig,
} from "@dandi/core";
import { JobsClient, throttledErrorLog } from "@dandi/jobs";

/** What job handlers may use, built once per worker process. */
export interface WorkerDeps {
  config: TConfig;
  prisma: PrismaClient;
  logger: Logger;
  /**
   * DANDI's JSON Schemas, loaded and compiled on first use: only validation
   * needs them, so a `checksum-worker` never pays for the validator.
   */
  schemas(): Promise<SchemaCatalog>;
  storage: Storage;
  jobs: JobsClient;
  mailer: Mailer;
  /** S3 access logs for the analytics queue; null when ANALYTICS_LOG_BUCKET is not set. */
  accessLogs: AccessLogSource | null;
}

/** Builds the worker's dependencies from a parsed config. */
export async function buildWorkerDeps(
  config: TConfig,
  overrides: Partial<Omit<WorkerDeps, "schemas">> & { schemas?: SchemaCatalog } = {},
): Promise<WorkerDeps> {
  // JSON lines on stdout, without credentials or URL signatures (createLogger).
  const logger = overrides.logger ?? createLogger({ config, base: { process: "worker" } });
  let schemas: Promise<SchemaCatalog> | undefined = overrides.schemas && Promise.resolve(overrides.schemas);
  return {
    config,
    logger,
    prisma: overrides.prisma ?? createPrisma({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    schemas: () => {
      // A failed load (e.g. a missing schemas/ folder) is retried by the next job instead of being cached.
      schemas ??= import("./schema-catalog").then((m) => m.loadSchemaCatalog(config));
      schemas.catch(() => (schemas = undefined));
      return schemas;
    },
    storage: overrides.storage ?? createStorage(config),
    mailer: overrides.mailer ?? createMailer({ config, logger }),
    jobs:
      overrides.jobs ??
      new JobsClient({
        redisUrl: config.REDIS_URL,
        prefix: config.JOBS_PREFIX,
        onError: throttledErrorLog((err) => logger.warn({ err: err.message }, "job queue Redis unavailable")),
      }),
    accessLogs: overrides.accessLogs !== undefined ? overrides.accessLogs : createAccessLogSource(config),
  };
}
