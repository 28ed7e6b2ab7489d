import { pino, type Logger } from "pino";
import { createPrisma, type PrismaClient } from "@dandi/db";
import {
  SchemaCatalog,
  createAccessLogSource,
  createMailer,
  createStorage,
  type AccessLogSource,
  type Mailer,
  type Storage,
  type TConfig,
} from "@dandi/core";
import { JobsClient } from "@dandi/jobs";

/** What job handlers may use, built once per worker process. */
export interface WorkerDeps {
  config: TConfig;
  prisma: PrismaClient;
  logger: Logger;
  schemas: SchemaCatalog;
  storage: Storage;
  jobs: JobsClient;
  mailer: Mailer;
  /** S3 access logs for the analytics queue; null when ANALYTICS_LOG_BUCKET is not set. */
  accessLogs: AccessLogSource | null;
}

/** Builds the worker's dependencies from a parsed config. */
export async function buildWorkerDeps(config: TConfig, overrides: Partial<WorkerDeps> = {}): Promise<WorkerDeps> {
  const logger = overrides.logger ?? pino({ level: config.LOG_LEVEL });
  return {
    config,
    logger,
    prisma: overrides.prisma ?? createPrisma({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    schemas: overrides.schemas ?? (await SchemaCatalog.load(config)),
    storage: overrides.storage ?? createStorage(config),
    mailer: overrides.mailer ?? createMailer({ config, logger }),
    jobs: overrides.jobs ?? new JobsClient({ redisUrl: config.REDIS_URL, prefix: config.JOBS_PREFIX }),
    accessLogs: overrides.accessLogs !== undefined ? overrides.accessLogs : createAccessLogSource(config),
  };
}
