import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { pino } from "pino";
import { DandiEtagCalculator, loadConfig, type TConfig } from "@dandi/core";
import type { AssetBlob, PrismaClient } from "@dandi/db";
import { QUEUE_NAMES, type TQueueName } from "@dandi/jobs";
import { createTestDatabase } from "@dandi/testing";
import { createHash, randomUUID } from "node:crypto";
import { buildWorkerDeps, type WorkerDeps } from "../src/deps";
import { startWorker, type RunningWorker } from "../src/start-worker";

export interface WorkerTestContext {
  config: TConfig;
  deps: WorkerDeps;
  prisma: PrismaClient;
  /** The environment a child worker process needs to share this context. */
  env: Record<string, string>;
}

/** The settings of a worker on a fresh database, local storage folder and BullMQ prefix. */
export async function createWorkerTestContext(env: Record<string, string> = {}): Promise<WorkerTestContext> {
  const db = await createTestDatabase();
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-worker-storage-"));
  const fullEnv: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "4",
    SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
    DANDI_API_URL: "http://api.test",
    DANDI_WEB_APP_URL: "http://web.test",
    LOG_LEVEL: "silent",
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: storageDir,
    // A unique BullMQ prefix per test file: runs never see each other's jobs.
    JOBS_PREFIX: `dandi-test-${path.basename(db.url)}`,
    ...env,
  };
  const config = loadConfig(fullEnv);
  const deps = await buildWorkerDeps(config, { logger: pino({ level: "silent" }) });
  afterAll(async () => {
    for (const q of QUEUE_NAMES)
      await deps.jobs
        .queue(q)
        .obliterate({ force: true })
        .catch(() => undefined);
    await deps.jobs.close();
    await deps.prisma.$disconnect();
    await db.drop();
    await fs.rm(storageDir, { recursive: true, force: true });
  });
  return { config, deps, prisma: deps.prisma, env: fullEnv };
}

/** Starts an in-process worker on the given queues (no schedules), stopped after the file. */
export async function startTestWorker(
  deps: WorkerDeps,
  queues: TQueueName[] = [...QUEUE_NAMES],
): Promise<RunningWorker> {
  const running = await startWorker(deps, { queues, concurrency: 2, schedules: false });
  afterAll(() => running.close());
  return running;
}

/** Waits until no job is waiting, active or delayed on any queue. */
export async function waitForIdle(deps: WorkerDeps, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    let busy = 0;
    for (const q of QUEUE_NAMES) {
      const c = await deps.jobs.queue(q).getJobCounts("waiting", "active", "delayed", "prioritized");
      busy += Object.values(c).reduce((a, b) => a + b, 0);
    }
    if (busy === 0) return;
    if (Date.now() > until) throw new Error(`queues still busy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls `check` until it returns a truthy value. */
export async function waitFor<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stores `content` as a blob object and its asset_blobs row (etag computed as DANDI does). */
export async function buildBlob(
  deps: WorkerDeps,
  content: Buffer,
  options: { created?: Date; etag?: string } = {},
): Promise<AssetBlob> {
  const blobId = randomUUID();
  const key = `blobs/${blobId.slice(0, 3)}/${blobId.slice(3, 6)}/${blobId}`;
  await deps.storage.putObject(key, content);
  const etag = options.etag ?? new DandiEtagCalculator(content.length).update(content).digest();
  return deps.prisma.assetBlob.create({
    data: { blobId, key, etag, size: BigInt(content.length), created: options.created ?? new Date() },
  });
}

/** sha256 hex of a buffer. */
export const sha256Of = (b: Buffer) => createHash("sha256").update(b).digest("hex");
