import fs from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { startThrowawayRedis } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
// Apps whose dependencies are down (each on its own database; the Redis one on a Redis of its own).
const dbDown = await createTestContext({
  DATABASE_URL: "postgresql://postgres:hunter2-secret@127.0.0.1:1/nope",
});
const storageParent = await fs.mkdtemp("/tmp/dandi-health-storage-");
const storageGone = await createTestContext({
  LOCAL_STORAGE_DIR: `${storageParent}/missing`,
});
const redis = await startThrowawayRedis();
const redisDies = await createTestContext({ REDIS_URL: redis.url });
afterAll(async () => {
  redis.stop();
  await fs.rm(storageParent, { recursive: true, force: true });
});

/** Nothing of a connection string may reach the answer. */
function expectNoSecrets(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/postgres|redis:\/\/|127\.0\.0\.1|password|secret/i);
}

describe("GET /api/health/live", () => {
  it("answers 200 without auth, with or without the slash, and sets no cookie", async () => {
    for (const path of ["/api/health/live", "/api/health/live/"]) {
      const res = await request(ctx.app).get(path).expect(200);
      expect(res.body).toEqual({ status: "ok" });
      expect(res.headers["set-cookie"]).toBeUndefined();
      expect(res.headers["cache-control"]).toBe("no-store");
    }
  });

  it("ignores credentials: a bad API key or session cookie is neither checked nor loaded", async () => {
    await request(ctx.app).get("/api/health/live").set("Authorization", "token nope").expect(200);
    const res = await request(ctx.app)
      .get("/api/health/ready")
      .set("Cookie", "dandi_session=s%3Abogus.sig")
      .set("Authorization", "token nope")
      .expect(200);
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});

describe("GET /api/health/ready", () => {
  it("answers 200 when PostgreSQL, Redis, storage and every shipped migration are there", async () => {
    const res = await request(ctx.app).get("/api/health/ready").expect(200);
    expect(res.body).toEqual({
      status: "ok",
      checks: { database: "ok", redis: "ok", storage: "ok", migrations: "ok" },
    });
  });

  it("answers 503 naming the migrations when one shipped with the build is not applied", async () => {
    const [last] = await ctx.prisma.$queryRaw<{ id: string; name: string }[]>`
      SELECT id, migration_name AS name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`;
    await ctx.prisma.$executeRaw`UPDATE _prisma_migrations SET finished_at = NULL WHERE id = ${last!.id}`;
    try {
      const res = await request(ctx.app).get("/api/health/ready").expect(503);
      expect(res.body.detail).toBe("Not ready: migrations 1 not applied.");
      expect(res.body.checks).toEqual({
        database: "ok",
        redis: "ok",
        storage: "ok",
        migrations: "1 not applied",
      });
    } finally {
      await ctx.prisma.$executeRaw`UPDATE _prisma_migrations SET finished_at = now() WHERE id = ${last!.id}`;
    }
    await request(ctx.app).get("/api/health/ready").expect(200);
  });

  it("answers 503 for an unreachable database without showing its URL or password", async () => {
    const res = await request(dbDown.app).get("/api/health/ready").expect(503);
    expect(res.body.checks.database).toBe("unreachable");
    expect(res.body.detail).toContain("database unreachable");
    expect(JSON.stringify(res.body)).not.toContain("hunter2");
    expectNoSecrets(res.body);
    await request(dbDown.app).get("/api/health/live").expect(200);
  });

  it("answers 503 for missing local storage", async () => {
    const res = await request(storageGone.app).get("/api/health/ready").expect(503);
    expect(res.body.checks).toMatchObject({
      storage: "unreachable",
      database: "ok",
      redis: "ok",
    });
  });

  it("answers while Redis is down: live 200, ready 503 naming redis, within the check timeout", async () => {
    const app = redisDies.app;
    await request(app).get("/api/health/ready").expect(200);
    redis.stop();
    await request(app).get("/api/health/live").expect(200);
    const started = Date.now();
    const res = await request(app).get("/api/health/ready").expect(503);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.body.checks).toEqual({
      database: "ok",
      redis: "unreachable",
      storage: "ok",
      migrations: "ok",
    });
    expect(res.body.detail).toBe("Not ready: redis unreachable.");
    expectNoSecrets(res.body);
  });
});
