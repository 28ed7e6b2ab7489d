import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { pino } from "pino";
import type { Express } from "express";
import { createPrisma, type PrismaClient } from "@dandi/db";
import { JobsClient } from "@dandi/jobs";
import { createMailer, createStorage, loadConfig, SchemaCatalog, type TConfig } from "@dandi/core";
import { createTestDatabase } from "@dandi/testing";
import { createApp } from "../src/app";
import type { AppDeps } from "../src/context";
import { readAppVersion } from "../src/deps";
import { createSessionBackend } from "../src/middleware/session";

export interface TestContext {
  app: Express;
  deps: AppDeps;
  prisma: PrismaClient;
  config: TConfig;
}

/**
 * A real app on its own freshly migrated PostgreSQL database, dropped after the
 * file's tests. `env` overrides settings the way a deployment would set them.
 */
export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const db = await createTestDatabase();
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-storage-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "4",
    SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
    DANDI_API_URL: "http://api.test",
    DANDI_WEB_APP_URL: "http://web.test",
    LOG_LEVEL: "silent",
    // Local-disk storage in a fresh folder per test file; S3 tests pass STORAGE_BACKEND=s3 and startMotoServer()'s settings.
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: storageDir,
    ...env,
  });
  const prisma = createPrisma({ databaseUrl: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const schemas = await SchemaCatalog.load(config);
  const storage = createStorage(config);
  const logger = pino({ level: "silent" });
  // Redis keys are prefixed per test file so that sessions and rate limits never collide.
  const sessions = await createSessionBackend(config, `dandi-test:${path.basename(db.url)}:`);
  const deps: AppDeps = {
    config,
    prisma,
    schemas,
    storage,
    logger,
    mailer: createMailer({ config, logger }),
    sessions,
    // BullMQ keys are prefixed per test file so that runs never collide.
    jobs: new JobsClient({ redisUrl: config.REDIS_URL, prefix: `dandi-test-${path.basename(db.url)}` }),
    version: readAppVersion(),
  };
  afterAll(async () => {
    await deps.jobs.close();
    deps.mailer.close();
    await sessions.close();
    await prisma.$disconnect();
    await db.drop();
    await fs.rm(storageDir, { recursive: true, force: true });
  });
  return { app: createApp(deps), deps, prisma, config };
}
