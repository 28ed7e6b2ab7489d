import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { UnrecoverableError, Worker } from "bullmq";
import { createRedisConnection, JobsClient } from "@dandi/jobs";
import { loadConfig } from "@dandi/core";

// Only REDIS_URL is read (the default, or the environment's as everywhere else); no database is used.
const { REDIS_URL } = loadConfig({
  ...process.env,
  NODE_ENV: "test",
  DATABASE_URL: "postgresql://unused@127.0.0.1:5432/unused",
  SESSION_SECRET: "x".repeat(40),
});
const prefix = `dandi-test-replace-failed-${randomUUID()}`;
const jobs = new JobsClient({ redisUrl: REDIS_URL, prefix });
const connection = createRedisConnection(REDIS_URL);
afterAll(async () => {
  await jobs.queue("default").obliterate({ force: true });
  await jobs.close();
  await connection.quit();
});

/** Runs the default queue once with a processor that fails every job for good. */
async function failEverything(expected: number): Promise<void> {
  let failed = 0;
  const worker = new Worker(
    "default",
    async () => {
      throw new UnrecoverableError("fails for good");
    },
    { connection, prefix },
  );
  await new Promise<void>((resolve) =>
    worker.on("failed", () => {
      if (++failed === expected) resolve();
    }),
  );
  await worker.close();
}

describe("a failed job kept for the admins", () => {
  it("is replaced by the next enqueue of its id, single or bulk", async () => {
    await jobs.enqueue("aggregateAssetsSummary", { versionId: 1 }, { delayMs: 0 });
    await jobs.enqueueMany("aggregateAssetsSummary", [{ versionId: 2 }]);
    await jobs.enqueue("validateAsset", { assetId: "3" });
    // Version 2's job keeps the definition's 2 s delay: three failures in all.
    await failEverything(3);
    const queue = jobs.queue("default");
    for (const id of ["assets-summary-1", "assets-summary-2"])
      expect(await (await queue.getJob(id))!.getState()).toBe("failed");
    expect(await (await queue.getJob("validate-asset-3"))!.getState()).toBe("failed");

    await jobs.enqueue("aggregateAssetsSummary", { versionId: 1 }, { delayMs: 0 });
    await jobs.enqueueMany("aggregateAssetsSummary", [{ versionId: 2 }]);
    await jobs.enqueue("validateAsset", { assetId: "3" });
    expect(await (await queue.getJob("assets-summary-1"))!.getState()).toBe("waiting");
    expect(await (await queue.getJob("assets-summary-2"))!.getState()).toBe("delayed");
    // A Pending asset whose validation failed for good is validated again by the next sweep.
    expect(await (await queue.getJob("validate-asset-3"))!.getState()).toBe("waiting");
  });
});
