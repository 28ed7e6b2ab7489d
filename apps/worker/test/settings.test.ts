import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "@dandi/core";
import { JOBS, jobsOfQueue, redisOptionsFromUrl } from "@dandi/jobs";

const base = { DATABASE_URL: "postgresql://x@127.0.0.1/db", SESSION_SECRET: "s".repeat(40) };

describe("worker settings", () => {
  it("reads WORKER_QUEUES as a comma list of known queues, and WORKER_CONCURRENCY", () => {
    const c = loadConfig({ ...base, WORKER_QUEUES: "checksum, analytics", WORKER_CONCURRENCY: "4" });
    expect({ queues: c.WORKER_QUEUES, concurrency: c.WORKER_CONCURRENCY }).toEqual({
      queues: ["checksum", "analytics"],
      concurrency: 4,
    });
    expect(loadConfig(base).WORKER_QUEUES).toEqual(["default"]);
    expect(() => loadConfig({ ...base, WORKER_QUEUES: "default,celery" })).toThrow(ConfigError);
  });

  it("connects to rediss:// without verifying Heroku's self-signed certificate", () => {
    expect(redisOptionsFromUrl("rediss://:p%40ss@redis.example:25061/2")).toMatchObject({
      host: "redis.example",
      port: 25061,
      password: "p@ss",
      db: 2,
      tls: { rejectUnauthorized: false },
      maxRetriesPerRequest: null,
    });
    expect(redisOptionsFromUrl("redis://127.0.0.1:6379").tls).toBeUndefined();
  });

  it("routes each job to the queue its Procfile process serves", () => {
    expect(jobsOfQueue("checksum").sort()).toEqual(["computeBlobSha256", "ingestZarrArchive"]);
    expect(jobsOfQueue("analytics").sort()).toEqual(["processAccessLog", "sweepAccessLogs"]);
    expect(JOBS.computeBlobSha256.options.attempts).toBeGreaterThan(1);
    expect(JOBS.computeBlobSha256.options.backoff).toMatchObject({ type: "exponential" });
    expect(() => JOBS.validateAsset.payload.parse({ assetId: "1; DROP" })).toThrow();
  });
});
