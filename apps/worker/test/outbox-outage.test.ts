import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { pino } from "pino";
import { buildUser } from "@dandi/testing";
import { createTestContext, type TestContext } from "../../api/test/context";
import { throwawayRedis, type ThrowawayRedis } from "../../api/test/throwaway-servers";
import { buildWorkerDeps, type WorkerDeps } from "../src/deps";
import { startTestWorker, waitFor } from "./context";

/**
 * Work committed while Redis is down reaches the worker once Redis is back: publish and zarr
 * finalize answer as usual, their jobs wait in the outbox (committed with the state change),
 * and the worker's drainJobOutbox sweep queues them. A draft stuck Publishing with no job at
 * all (lost with Redis's data) is published again by the same sweep.
 */

let redis: ThrowawayRedis;
let ctx: TestContext;
let worker: WorkerDeps;
let token: string;

beforeAll(async () => {
  redis = await throwawayRedis();
  await redis.start();
  ctx = await createTestContext({ REDIS_URL: redis.url });
  worker = await buildWorkerDeps(ctx.config, {
    prisma: ctx.prisma,
    storage: ctx.deps.storage,
    jobs: ctx.deps.jobs,
    schemas: ctx.deps.schemas,
    logger: pino({ level: "silent" }),
  });
  await startTestWorker(worker);
  ({ token } = await buildUser(ctx.prisma));
}, 120_000);
afterAll(() => redis?.kill());

const auth = () => ({ Authorization: `token ${token}` });

/** A dandiset whose (empty) draft is Valid, ready to publish. */
async function validDraft(name: string): Promise<string> {
  const created = await request(ctx.app)
    .post("/api/dandisets/")
    .set(auth())
    .send({ name, metadata: { description: "Published across a Redis outage", license: ["spdx:CC0-1.0"] } })
    .expect(200);
  const id = created.body.identifier as string;
  await ctx.prisma.version.updateMany({
    where: { dandisetId: Number(id), version: "draft" },
    data: { status: "Valid" },
  });
  return id;
}

const draftStatus = async (id: string) =>
  (await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } })).status;

describe("jobs committed while Redis is down", () => {
  it("publish and zarr finalize succeed, and their work reaches the worker once Redis is back", async () => {
    const id = await validDraft("Outage publish");
    // A dandiset with a zarr cannot be published (DANDI's rule): the zarr lives in another one.
    const other = await validDraft("Outage zarr");
    const zarr = await request(ctx.app)
      .post("/api/zarr/")
      .set(auth())
      .send({ dandiset: other, name: "outage.zarr" })
      .expect(200);
    const zarrId = zarr.body.zarr_id as string;

    await redis.kill();
    const started = Date.now();
    await request(ctx.app).post(`/api/dandisets/${id}/versions/draft/publish/`).set(auth()).send({}).expect(202);
    await request(ctx.app).post(`/api/zarr/${zarrId}/finalize/`).set(auth()).expect(204);
    // Fail fast: the enqueue does not wait for Redis to come back.
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await draftStatus(id)).toBe("Publishing");
    const outbox = await ctx.prisma.jobOutbox.findMany({ orderBy: { id: "asc" } });
    expect(outbox.map((r) => [r.name, r.payload])).toEqual([
      ["publishDandiset", { dandisetId: Number(id), userId: expect.any(Number) }],
      ["ingestZarrArchive", { zarrId }],
    ]);
    // Anything else answers as before: a second publish is DANDI's 423, not a 500.
    await request(ctx.app).post(`/api/dandisets/${id}/versions/draft/publish/`).set(auth()).send({}).expect(423);

    await redis.start();
    // The periodic sweep (every 15 s in production), queued by hand here.
    await waitFor(async () => {
      try {
        await worker.jobs.enqueue("drainJobOutbox", {});
        return true;
      } catch {
        return false;
      }
    });
    await waitFor(async () => (await draftStatus(id)) === "Published", 60_000);
    await waitFor(
      async () => (await ctx.prisma.zarrArchive.findFirstOrThrow({ where: { zarrId } })).status === "Complete",
      60_000,
    );
    expect(await ctx.prisma.jobOutbox.count()).toBe(0);
    const versions = await request(ctx.app).get(`/api/dandisets/${id}/versions/`).expect(200);
    expect(versions.body.results.map((v: { version: string }) => v.version)).toContainEqual(
      expect.stringMatching(/^0\.\d{6}\.\d{4}$/),
    );
  }, 180_000);

  it("re-queues a draft stuck Publishing whose job was lost", async () => {
    const id = await validDraft("Lost publish job");
    // Publishing for an hour, with neither an outbox row nor a BullMQ job (Redis lost its data).
    await ctx.prisma.version.updateMany({
      where: { dandisetId: Number(id), version: "draft" },
      data: { status: "Publishing", modified: new Date(Date.now() - 3600_000) },
    });
    await worker.jobs.enqueue("drainJobOutbox", {});
    await waitFor(async () => (await draftStatus(id)) === "Published", 60_000);
  }, 120_000);
});
