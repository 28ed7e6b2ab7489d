import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { computeDandiEtag, type LocalStorage } from "@dandi/core";
import { upsertSchedules } from "../src/schedules";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildBlob,
  createWorkerTestContext,
  sha256Of,
  startTestWorker,
  waitFor,
  waitForIdle,
  type WorkerTestContext,
} from "./context";

let ctx: WorkerTestContext;
const assetMetadata = { schemaKey: "Asset", schemaVersion: "0.8.0", encodingFormat: "application/x-nwb" };

beforeAll(async () => {
  ctx = await createWorkerTestContext({ BLOB_GC_GRACE_SECONDS: "3600", UPLOAD_URL_EXPIRY: "3600" });
  await startTestWorker(ctx.deps);
});

async function buildAsset(blobId: bigint, metadata: object = assetMetadata) {
  return ctx.prisma.asset.create({
    data: { assetId: randomUUID(), path: `sub-1/${randomUUID()}.nwb`, blobId, metadata },
  });
}

describe("checksum and validation jobs", () => {
  it("hashes a new blob by streaming it, then validates the assets that waited for it", async () => {
    const content = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const blob = await buildBlob(ctx.deps, content);
    const asset = await buildAsset(blob.id);
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    const stored = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } });
    expect(stored.sha256).toBe(sha256Of(content));
    const validated = await ctx.prisma.asset.findUniqueOrThrow({ where: { id: asset.id } });
    expect({ status: validated.status, errors: validated.validationErrors }).toEqual({ status: "Valid", errors: [] });
  });

  it("is idempotent: a second run changes nothing and creates no rows", async () => {
    const content = Buffer.from("twice");
    const blob = await buildBlob(ctx.deps, content);
    await buildAsset(blob.id);
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    const before = {
      blobs: await ctx.prisma.assetBlob.count(),
      assets: await ctx.prisma.asset.count(),
      modified: (await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).modified,
    };
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    const after = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } });
    expect(after.sha256).toBe(sha256Of(content));
    expect({
      blobs: await ctx.prisma.assetBlob.count(),
      assets: await ctx.prisma.asset.count(),
      modified: after.modified,
    }).toEqual(before);
  });

  it("hashes a blob uploaded in DANDI's parts (storage ETag = dandi-etag) across many read buffers", async () => {
    const storage = ctx.deps.storage as LocalStorage;
    const content = Buffer.alloc(6 * 1024 * 1024 + 12_344);
    for (let i = 0; i + 4 <= content.length; i += 4) content.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, i);
    const uuid = randomUUID();
    const key = `blobs/${uuid.slice(0, 3)}/${uuid.slice(3, 6)}/${uuid}`;
    const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
    const partEtag = await storage.uploadPart(uploadId, 1, Readable.from([content]), content.length);
    const { etag } = await storage.completeMultipartUpload(
      uploadId,
      `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"${partEtag}"</ETag></Part></CompleteMultipartUpload>`,
    );
    const blob = await ctx.prisma.assetBlob.create({
      data: { blobId: uuid, key, etag: computeDandiEtag(content), size: BigInt(content.length) },
    });
    expect(etag).toBe(blob.etag);
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBe(sha256Of(content));
  });

  it("refuses a blob whose stored size differs from its row", async () => {
    const content = Buffer.from("short");
    const blob = await buildBlob(ctx.deps, content);
    await ctx.prisma.assetBlob.update({ where: { id: blob.id }, data: { size: 6n } });
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBeNull();
    const failed = await ctx.deps.jobs.listFailed(0, 50);
    expect(failed.jobs.find((j) => j.id === `sha256-${blob.id}`)?.failedReason).toContain("size 5 differs");
  });

  it("refuses a blob whose content does not match its dandi-etag and shows the failure to admins", async () => {
    const blob = await buildBlob(ctx.deps, Buffer.from("tampered"), { etag: "0123456789abcdef0123456789abcdef-1" });
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBeNull();
    const failed = await ctx.deps.jobs.listFailed(0, 50);
    const mine = failed.jobs.find((j) => j.id === `sha256-${blob.id}`);
    expect(mine?.failedReason).toContain("dandi-etag");
    expect(mine?.attemptsMade).toBe(1);
  });

  it("marks an asset whose metadata breaks PublishedAsset Invalid, with DANDI-shaped errors", async () => {
    const blob = await buildBlob(ctx.deps, Buffer.from("invalid asset"));
    const asset = await buildAsset(blob.id, { schemaKey: "Asset", schemaVersion: "0.8.0" });
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    const after = await ctx.prisma.asset.findUniqueOrThrow({ where: { id: asset.id } });
    expect(after.status).toBe("Invalid");
    expect(after.validationErrors).toEqual(
      expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("encodingFormat") })]),
    );
  });

  it("does not validate an asset before its blob has a sha256", async () => {
    const blob = await buildBlob(ctx.deps, Buffer.from("not hashed yet"));
    const asset = await buildAsset(blob.id);
    await ctx.deps.jobs.enqueue("validateAsset", { assetId: asset.id.toString() });
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.asset.findUniqueOrThrow({ where: { id: asset.id } })).status).toBe("Pending");
  });

  it("the validation sweep queues Pending assets with a sha256 and re-queues ones stuck in Validating", async () => {
    const content = Buffer.from("swept");
    const blob = await buildBlob(ctx.deps, content);
    await ctx.prisma.assetBlob.update({ where: { id: blob.id }, data: { sha256: sha256Of(content) } });
    const pending = await buildAsset(blob.id);
    const stuck = await buildAsset(blob.id);
    await ctx.prisma.asset.update({
      where: { id: stuck.id },
      data: { status: "Validating", modified: new Date(Date.now() - 3600_000) },
    });
    await ctx.deps.jobs.enqueue("sweepValidation", {});
    await waitForIdle(ctx.deps);
    const statuses = await ctx.prisma.asset.findMany({ where: { id: { in: [pending.id, stuck.id] } } });
    expect(statuses.map((a) => a.status)).toEqual(["Valid", "Valid"]);
  });

  it("the validation sweep hashes again a blob whose checksum job was lost, but not a recent one", async () => {
    const lost = await buildBlob(ctx.deps, Buffer.from("checksum job lost"), {
      created: new Date(Date.now() - 3600_000),
    });
    const recent = await buildBlob(ctx.deps, Buffer.from("checksum job still coming"));
    const waiting = await buildAsset(lost.id);
    await buildAsset(recent.id);
    await ctx.deps.jobs.enqueue("sweepValidation", {});
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: lost.id } })).sha256).toBe(
      sha256Of(Buffer.from("checksum job lost")),
    );
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: recent.id } })).sha256).toBeNull();
    expect((await ctx.prisma.asset.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("Valid");
  });
});

describe("housekeeping", () => {
  it("deletes old unreferenced blobs with their objects, never referenced or recent ones", async () => {
    const old = new Date(Date.now() - 2 * 3600_000);
    const orphan = await buildBlob(ctx.deps, Buffer.from("orphan"), { created: old });
    const recentOrphan = await buildBlob(ctx.deps, Buffer.from("recent orphan"));
    const usedDraft = await buildBlob(ctx.deps, Buffer.from("used by a draft asset"), { created: old });
    const usedPublished = await buildBlob(ctx.deps, Buffer.from("used by a published asset"), { created: old });
    await buildAsset(usedDraft.id);
    const published = await buildAsset(usedPublished.id);
    await ctx.prisma.asset.update({ where: { id: published.id }, data: { published: true } });

    await ctx.deps.jobs.enqueue("sweepOrphanedBlobs", {});
    await waitForIdle(ctx.deps);
    const left = (await ctx.prisma.assetBlob.findMany({ select: { id: true } })).map((b) => b.id);
    expect(left).not.toContain(orphan.id);
    expect(left).toEqual(expect.arrayContaining([recentOrphan.id, usedDraft.id, usedPublished.id]));
    expect(await ctx.deps.storage.headObject(orphan.key)).toBeNull();
    expect(await ctx.deps.storage.headObject(usedDraft.key)).not.toBeNull();
    expect(await ctx.deps.storage.headObject(usedPublished.key)).not.toBeNull();

    // As DANDI: the run's event keeps each deleted row, and only those, for restoration.
    const events = await ctx.prisma.garbageCollectionEvent.findMany({
      where: { type: "AssetBlob" },
      include: { records: true },
    });
    const records = events.flatMap((e) =>
      e.records.map((r) => r.record as { model: string; pk: string; fields: object }),
    );
    expect(records).toEqual([
      {
        model: "AssetBlob",
        pk: orphan.id.toString(),
        fields: expect.objectContaining({ blob_id: orphan.blobId, key: orphan.key, etag: orphan.etag, size: "6" }),
      },
    ]);
  });

  it("prunes garbage-collection events after the 30-day restoration window, and records nothing when nothing goes", async () => {
    const day = 24 * 3600_000;
    const expired = await ctx.prisma.garbageCollectionEvent.create({
      data: { type: "AssetBlob", timestamp: new Date(Date.now() - 31 * day), records: { create: { record: {} } } },
    });
    const kept = await ctx.prisma.garbageCollectionEvent.create({
      data: { type: "AssetBlob", timestamp: new Date(Date.now() - 29 * day) },
    });
    const before = await ctx.prisma.garbageCollectionEvent.count();
    await ctx.deps.jobs.enqueue("sweepOrphanedBlobs", {});
    await waitForIdle(ctx.deps);
    const ids = (await ctx.prisma.garbageCollectionEvent.findMany({ select: { id: true } })).map((e) => e.id);
    expect(ids).toContain(kept.id);
    expect(ids).not.toContain(expired.id);
    expect(ids).toHaveLength(before - 1);
    expect(await ctx.prisma.garbageCollectionEventRecord.count({ where: { eventId: expired.id } })).toBe(0);
  });

  it("aborts and deletes uploads older than UPLOAD_URL_EXPIRY, keeps fresh ones", async () => {
    const dandiset = await ctx.prisma.dandiset.create({ data: {} });
    const make = async (created: Date) => {
      const uploadId = randomUUID();
      const key = `blobs/${uploadId.slice(0, 3)}/${uploadId.slice(3, 6)}/${uploadId}`;
      const multipartUploadId = await ctx.deps.storage.createMultipartUpload(key, { embargoed: false });
      return ctx.prisma.upload.create({
        data: {
          uploadId,
          key,
          etag: "0".repeat(32) + "-1",
          size: 10n,
          multipartUploadId,
          dandisetId: dandiset.id,
          created,
        },
      });
    };
    const stale = await make(new Date(Date.now() - 2 * 3600_000));
    const fresh = await make(new Date());
    await ctx.deps.jobs.enqueue("sweepExpiredUploads", {});
    await waitForIdle(ctx.deps);
    const left = (await ctx.prisma.upload.findMany()).map((u) => u.id);
    expect(left).toEqual([fresh.id]);
    const uploadEvents = await ctx.prisma.garbageCollectionEvent.findMany({
      where: { type: "Upload" },
      include: { records: true },
    });
    expect(uploadEvents.flatMap((e) => e.records.map((r) => r.record))).toEqual([
      {
        model: "Upload",
        pk: stale.id,
        fields: expect.objectContaining({ upload_id: stale.uploadId, multipart_upload_id: stale.multipartUploadId }),
      },
    ]);
    // The aborted multipart upload is gone from storage: it takes no more parts; the fresh one still does.
    const storage = ctx.deps.storage as LocalStorage;
    const part = () => Readable.from([Buffer.from("12345")]);
    await expect(storage.uploadPart(stale.multipartUploadId, 1, part(), 5)).rejects.toThrow(/upload/i);
    await expect(storage.uploadPart(fresh.multipartUploadId, 1, part(), 5)).resolves.toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("statistics", () => {
  it("registers the sweeps of the served queues and computes stats at start when there are none", async () => {
    await ctx.prisma.applicationStats.deleteMany();
    await upsertSchedules(ctx.deps, ["default"]);
    const schedulers = await ctx.deps.jobs.queue("default").getJobSchedulers();
    expect(schedulers.map((s) => s.name).sort()).toEqual([
      "computeStats",
      "drainJobOutbox",
      "foldSearchBitmaps",
      "reconcileStorage",
      "sendPendingUsersDigest",
      "sweepEmbargoes",
      "sweepExpiredUploads",
      "sweepOrphanedBlobs",
      "sweepValidation",
    ]);
    expect(schedulers.find((s) => s.name === "sweepValidation")?.every).toBe(
      ctx.config.DANDI_VALIDATION_JOB_INTERVAL * 1000,
    );
    expect(await ctx.deps.jobs.queue("analytics").getJobSchedulers()).toEqual([]);
    await waitFor(async () => (await ctx.prisma.applicationStats.count()) > 0);
    for (const s of schedulers) await ctx.deps.jobs.queue("default").removeJobScheduler(s.key);
  });

  it("computes ApplicationStats on demand", async () => {
    // Let the jobs the schedulers above created finish first: a computeStats job still
    // waiting under the same jobId would absorb this enqueue (dedupe).
    await waitForIdle(ctx.deps, 60_000);
    const before = await ctx.prisma.applicationStats.count();
    await ctx.deps.jobs.enqueue("computeStats", {});
    await waitFor(async () => (await ctx.prisma.applicationStats.count()) > before);
    const row = await ctx.prisma.applicationStats.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(row.dandisetCount).toBe(await ctx.prisma.dandiset.count());
  });
});
