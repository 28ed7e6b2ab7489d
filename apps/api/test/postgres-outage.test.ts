import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "@dandi/db";
import { buildUser, ensureBuilt, findFreePort, startBuiltProcess, type BuiltProcess } from "@dandi/testing";
import {
  canRunThrowawayPostgres,
  throwawayPostgres,
  throwawayRedis,
  type ThrowawayPostgres,
  type ThrowawayRedis,
} from "./throwaway-servers";

/**
 * The built API and worker processes against a PostgreSQL cluster of this test's own: while it
 * is stopped the API answers 503 with Retry-After (not 500), and both processes recover by
 * themselves when it is back; the worker also survives a Redis outage and runs jobs after it.
 */

let pg: ThrowawayPostgres;
let redis: ThrowawayRedis;
let api: BuiltProcess;
let worker: BuiltProcess;
let prisma: PrismaClient;
let base: string;
let token: string;

beforeAll(async () => {
  pg = await throwawayPostgres();
  redis = await throwawayRedis();
  await redis.start();
  prisma = createPrisma({ databaseUrl: pg.url, poolSize: 2 });
  ({ token } = await buildUser(prisma));
  const port = await findFreePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    NODE_ENV: "development",
    DATABASE_URL: pg.url,
    DATABASE_POOL_SIZE: "4",
    REDIS_URL: redis.url,
    JOBS_PREFIX: `dandi-pg-outage-${port}`,
    SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
    DANDI_API_URL: base,
    DANDI_WEB_APP_URL: "http://web.test",
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: `/tmp/dandi-pg-outage-storage-${port}`,
  };
  api = startBuiltProcess(ensureBuilt("api"), { ...env, PORT: String(port) });
  worker = startBuiltProcess(ensureBuilt("worker"), { ...env, WORKER_QUEUES: "default" });
  await api.waitForLog((l) => l.msg === "DANDI API listening", 120_000);
  await worker.waitForLog((l) => l.msg === "worker started", 120_000);
}, 400_000);

afterAll(async () => {
  api?.kill();
  worker?.kill();
  await prisma?.$disconnect();
  await redis?.kill();
  pg?.destroy();
});

const get = (path: string, withToken = false) =>
  fetch(base + path, { headers: withToken ? { Authorization: `token ${token}` } : {} });

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.runIf(canRunThrowawayPostgres())("PostgreSQL restarting", () => {
  it("answers 503 with Retry-After while it is down, and recovers without a restart", async () => {
    expect((await get("/api/dandisets/")).status).toBe(200);
    expect((await get("/api/users/me/", true)).status).toBe(200);
    pg.stop();
    for (const [path, withToken] of [
      ["/api/dandisets/", false],
      ["/api/users/me/", true],
      ["/api/dandisets/", false],
    ] as const) {
      const res = await get(path, withToken);
      expect(res.status, path).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await res.json()).toEqual({ detail: expect.any(String) });
    }
    await new Promise((r) => setTimeout(r, 2_000));
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    await pg.start();
    await waitUntil(async () => (await get("/api/dandisets/")).status === 200);
    expect((await get("/api/users/me/", true)).status).toBe(200);
    expect(api.child.exitCode).toBeNull();
  }, 120_000);

  it("keeps the worker alive through a Redis outage; it runs outbox jobs once Redis is back", async () => {
    await redis.kill();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(worker.child.exitCode).toBeNull();
    await redis.start();
    // A job committed to the outbox (as the API does when it cannot reach Redis): the worker's
    // drainJobOutbox schedule (every 15 s) queues it, and the worker runs it.
    const before = await prisma.applicationStats.count();
    await prisma.jobOutbox.create({ data: { name: "computeStats", payload: {} } });
    // Within the schedules' re-registration (30 s: this Redis came back empty) plus one drain period.
    // (The row is deleted only once its job is in BullMQ.)
    await waitUntil(async () => (await prisma.jobOutbox.count()) === 0, 90_000).catch((err: Error) => {
      throw new Error(
        `${err.message}\n${worker.logs
          .slice(-20)
          .map((l) => JSON.stringify(l))
          .join("\n")}`,
      );
    });
    await waitUntil(async () => (await prisma.applicationStats.count()) > before, 30_000);
    expect(worker.child.exitCode).toBeNull();
  }, 150_000);
});
