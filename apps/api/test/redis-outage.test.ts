import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@dandi/core";
import { createPrisma, type PrismaClient } from "@dandi/db";
import {
  buildUser,
  createTestDatabase,
  ensureBuilt,
  findFreePort,
  startBuiltProcess,
  type BuiltProcess,
} from "@dandi/testing";
import { throwawayRedis, type ThrowawayRedis } from "./throwaway-servers";

/**
 * The built API process (apps/api/dist/server.js, what the Procfile runs) against a Redis of
 * this test's own: it starts while Redis is down, serves token and anonymous requests without
 * it, survives Redis being killed, and signs browsers in again once Redis is back.
 */

let redis: ThrowawayRedis;
let api: BuiltProcess;
let base: string;
let prisma: PrismaClient;
let token: string;
let dropDb: () => Promise<void>;
const email = `outage-${Date.now()}@example.org`;
const password = "correct horse battery staple";

beforeAll(async () => {
  const db = await createTestDatabase();
  dropDb = db.drop;
  prisma = createPrisma({ databaseUrl: db.url, poolSize: 2 });
  const built = await buildUser(prisma, { email });
  token = built.token;
  await prisma.user.update({ where: { id: built.user.id }, data: { passwordHash: await hashPassword(password) } });
  redis = await throwawayRedis();
  const port = await findFreePort();
  base = `http://127.0.0.1:${port}`;
  api = startBuiltProcess(ensureBuilt("api"), {
    NODE_ENV: "development",
    PORT: String(port),
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: "4",
    REDIS_URL: redis.url,
    JOBS_PREFIX: `dandi-outage-${port}`,
    SESSION_SECRET: "test-session-secret-that-is-long-enough-0123456789",
    DANDI_API_URL: base,
    DANDI_WEB_APP_URL: "http://web.test",
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: `/tmp/dandi-outage-storage-${port}`,
  });
}, 300_000);

afterAll(async () => {
  api?.kill();
  await redis?.kill();
  await prisma?.$disconnect();
  await dropDb?.();
});

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(base + path, { redirect: "manual", ...init });
}

const withToken = (init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { Authorization: `token ${token}`, "Content-Type": "application/json", ...(init.headers ?? {}) },
});

async function signIn(): Promise<Response> {
  return call("/api/auth/login/", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: "http://web.test" },
    body: JSON.stringify({ email, password }),
  });
}

async function createDandiset(name: string): Promise<string> {
  const res = await call(
    "/api/dandisets/",
    withToken({
      method: "POST",
      body: JSON.stringify({ name, metadata: { description: "Written while Redis is away" } }),
    }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { identifier: string }).identifier;
}

async function expectServing(): Promise<void> {
  // Anonymous reads, token reads and token writes need no Redis.
  expect((await call("/api/info/")).status).toBe(200);
  expect((await call("/api/dandisets/")).status).toBe(200);
  const me = await call("/api/users/me/", withToken());
  expect(me.status).toBe(200);
  const id = await createDandiset(`outage ${Date.now()}`);
  expect((await call(`/api/dandisets/${id}/`, withToken())).status).toBe(200);
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the API process while Redis is away", () => {
  it("starts without Redis and serves anonymous and token requests", async () => {
    await api.waitForLog((l) => l.msg === "DANDI API listening", 120_000);
    await expectServing();
  });

  it("answers sign-in with 503 + Retry-After, and a session-cookie read as anonymous", async () => {
    const login = await signIn();
    expect(login.status).toBe(503);
    expect(login.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await login.json()).toEqual({ detail: expect.any(String) });
    const read = await call("/api/dandisets/", { headers: { Cookie: "dandi_session=s%3Aabc.def" } });
    expect(read.status).toBe(200);
    const write = await call("/api/dandisets/", {
      method: "POST",
      headers: { Cookie: "dandi_session=s%3Aabc.def", "Content-Type": "application/json", Origin: "http://web.test" },
      body: JSON.stringify({ name: "x", metadata: {} }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("connects by itself when Redis comes up, and browser sign-in works", async () => {
    await redis.start();
    await waitUntil(async () => (await signIn()).status === 200);
    const login = await signIn();
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const me = await call("/api/users/me/", { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { username: string }).username).toBe(email);
  });

  it("survives Redis being killed mid-run, and reconnects when it is back on the same port", async () => {
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    await expectServing();
    expect((await signIn()).status).toBe(503);
    expect(api.child.exitCode).toBeNull();
    await redis.start();
    await waitUntil(async () => (await signIn()).status === 200);
    await expectServing();
    expect(api.child.exitCode).toBeNull();
  });
});
