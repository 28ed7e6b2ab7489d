import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blobKey,
  clearDandisetUploads,
  deleteDandiset,
  reconcileStorage,
  type Storage,
  type TReconcileReport,
} from "@dandi/core";
import type { PrismaClient } from "@dandi/db";
import { buildUser, startMotoServer, type MotoServer } from "@dandi/testing";
import { createWorkerTestContext, startTestWorker, waitForIdle, type WorkerTestContext } from "./context";

/**
 * Storage hygiene on both backends (local disk, and S3 on moto_server): the
 * reconciliation sweep removes the multipart uploads and blob objects that
 * nothing references once they are older than the grace period, keeps
 * everything referenced, young, or outside blobs/, reports without touching
 * anything in a dry run, and records what it removed; clearing a dandiset's
 * uploads and deleting a dandiset abort and delete what their rows pointed at.
 */

let moto: MotoServer;
const contexts: Record<"local" | "s3", WorkerTestContext> = {} as never;

beforeAll(async () => {
  moto = await startMotoServer();
  contexts.local = await createWorkerTestContext();
  contexts.s3 = await createWorkerTestContext(moto.env);
}, 120_000);
afterAll(() => moto?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function makeDandiset(prisma: PrismaClient, ownerId: number) {
  return prisma.dandiset.create({
    data: {
      owners: { create: { userId: ownerId } },
      versions: { create: { version: "draft", name: "D", metadata: { schemaVersion: "0.7.0", name: "D" } } },
    },
  });
}

async function addUploadRow(
  prisma: PrismaClient,
  storage: Storage,
  dandisetId: number,
  options: { completed?: boolean } = {},
) {
  const uploadId = randomUUID();
  const key = blobKey(uploadId);
  const multipartUploadId = await storage.createMultipartUpload(key, { embargoed: false });
  // What `complete` leaves before `validate`: the object at the upload's key.
  if (options.completed) await storage.putObject(key, randomBytes(8));
  await prisma.upload.create({
    data: { uploadId, key, etag: `${randomBytes(16).toString("hex")}-1`, size: 8n, multipartUploadId, dandisetId },
  });
  return { key, multipartUploadId };
}

async function exists(storage: Storage, key: string) {
  return (await storage.headObject(key)) !== null;
}

async function openUploadIds(storage: Storage) {
  return (await storage.listMultipartUploads("blobs/")).map((u) => u.uploadId);
}

describe.each(["local", "s3"] as const)("storage reconciliation on %s", (backend) => {
  it("removes only unreferenced, old blob uploads and objects; a dry run only reports; removals are audited", async () => {
    const { prisma, storage } = contexts[backend].deps;
    const owner = await buildUser(prisma);
    const ds = await makeDandiset(prisma, owner.user.id);

    // Old: referenced ones (kept) and leftovers (removed).
    const liveUpload = await addUploadRow(prisma, storage, ds.id);
    const completedUpload = await addUploadRow(prisma, storage, ds.id, { completed: true });
    const blobUuid = randomUUID();
    await storage.putObject(blobKey(blobUuid), randomBytes(8));
    await prisma.assetBlob.create({
      data: { blobId: blobUuid, key: blobKey(blobUuid), etag: `${"a".repeat(32)}-1`, size: 8n },
    });
    const leftoverUploadKey = blobKey(randomUUID());
    const leftoverUpload = await storage.createMultipartUpload(leftoverUploadKey, { embargoed: false });
    const orphanKey = blobKey(randomUUID());
    await storage.putObject(orphanKey, randomBytes(8));
    // Outside blobs/: never looked at.
    const zarrKey = `zarr/${randomUUID()}/0/0`;
    const manifestKey = `dandisets/${String(ds.id).padStart(6, "0")}/draft/assets.yaml`;
    await storage.putObject(zarrKey, "chunk");
    await storage.putObject(manifestKey, "- {}\n");

    // S3 keeps times to the second: the young ones come well after the cutoff.
    await sleep(2100);
    const cutoff = new Date();
    await sleep(1100);
    const youngKey = blobKey(randomUUID());
    await storage.putObject(youngKey, randomBytes(8));
    const youngUploadKey = blobKey(randomUUID());
    const youngUpload = await storage.createMultipartUpload(youngUploadKey, { embargoed: false });
    const now = new Date(cutoff.getTime() + 3600_000);
    const graceSeconds = 3600;

    const summary = (r: TReconcileReport) => ({
      uploads: r.multipartUploads.map((u) => [u.key, u.uploadId]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      objects: r.objects.map((o) => o.key),
      keptYoung: r.keptYoung,
    });
    // moto_server lists every multipart upload as initiated in 2010 (a fixed value in its
    // ListMultipartUploads response), so there the young upload counts as old; real S3 and the
    // local backend report the true start time.
    const motoOldUploads = backend === "s3" ? [[youngUploadKey, youngUpload]] : [];
    const expected = {
      uploads: [[leftoverUploadKey, leftoverUpload], ...motoOldUploads].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
      objects: [orphanKey],
      keptYoung: backend === "s3" ? 1 : 2,
    };

    const dry = await reconcileStorage({ db: prisma, storage, graceSeconds, now, dryRun: true });
    expect(summary(dry)).toEqual(expected);
    expect(dry.dryRun).toBe(true);
    expect(await exists(storage, orphanKey)).toBe(true);
    expect(await openUploadIds(storage)).toContain(leftoverUpload);
    expect(await prisma.garbageCollectionEvent.count()).toBe(0);

    const real = await reconcileStorage({ db: prisma, storage, graceSeconds, now });
    expect(summary(real)).toEqual(expected);
    expect(await exists(storage, orphanKey)).toBe(false);
    const open = await openUploadIds(storage);
    expect(open).not.toContain(leftoverUpload);
    expect(open).toEqual(
      expect.arrayContaining([liveUpload.multipartUploadId, ...(backend === "s3" ? [] : [youngUpload])]),
    );
    for (const key of [completedUpload.key, blobKey(blobUuid), zarrKey, manifestKey, youngKey]) {
      expect(await exists(storage, key)).toBe(true);
    }

    const events = await prisma.garbageCollectionEvent.findMany({ include: { records: true }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.type, e.records.map((r) => (r.record as { pk: string }).pk).sort()])).toEqual([
      ["MultipartUpload", expected.uploads.map((u) => u[1]).sort()],
      ["StorageObject", [orphanKey]],
    ]);
    expect(events[0]!.records.map((r) => r.record)).toContainEqual(
      expect.objectContaining({ pk: leftoverUpload, fields: expect.objectContaining({ key: leftoverUploadKey }) }),
    );

    // Nothing left to do: a second run removes nothing and records nothing.
    const again = await reconcileStorage({ db: prisma, storage, graceSeconds, now });
    expect(summary(again)).toEqual({ uploads: [], objects: [], keptYoung: expected.keptYoung });
    expect(await prisma.garbageCollectionEvent.count()).toBe(2);

    // Clean up what this test left open, so the next tests see only their own.
    if (backend === "local") await storage.abortMultipartUpload(youngUploadKey, youngUpload);
    await clearDandisetUploads({ db: prisma, storage, dandisetId: ds.id });
  }, 60_000);

  it("clearing a dandiset's uploads aborts their multipart uploads and deletes completed objects", async () => {
    const { prisma, storage } = contexts[backend].deps;
    const owner = await buildUser(prisma);
    const ds = await makeDandiset(prisma, owner.user.id);
    const open = await addUploadRow(prisma, storage, ds.id);
    const completed = await addUploadRow(prisma, storage, ds.id, { completed: true });
    expect(await openUploadIds(storage)).toEqual(expect.arrayContaining([open.multipartUploadId]));

    expect(await clearDandisetUploads({ db: prisma, storage, dandisetId: ds.id })).toBe(2);
    expect(await prisma.upload.count({ where: { dandisetId: ds.id } })).toBe(0);
    const left = await openUploadIds(storage);
    expect(left).not.toContain(open.multipartUploadId);
    expect(left).not.toContain(completed.multipartUploadId);
    expect(await exists(storage, completed.key)).toBe(false);
  });

  it("deleting a dandiset between complete and validate leaves nothing in the bucket", async () => {
    const { prisma, storage } = contexts[backend].deps;
    const owner = await buildUser(prisma);
    const ds = await makeDandiset(prisma, owner.user.id);
    const open = await addUploadRow(prisma, storage, ds.id);
    const completed = await addUploadRow(prisma, storage, ds.id, { completed: true });

    await deleteDandiset({ db: prisma, storage, user: owner.user, dandisetId: ds.id });
    expect(await prisma.dandiset.findUnique({ where: { id: ds.id } })).toBeNull();
    expect(await exists(storage, completed.key)).toBe(false);
    expect(await openUploadIds(storage)).not.toContain(open.multipartUploadId);
  });
});

describe("reconcileStorage job", () => {
  it("runs on the worker and removes an old leftover", async () => {
    const ctx = await createWorkerTestContext({ BLOB_GC_GRACE_SECONDS: "0" });
    await startTestWorker(ctx.deps);
    const { storage } = ctx.deps;
    const orphanKey = blobKey(randomUUID());
    await storage.putObject(orphanKey, randomBytes(8));
    await sleep(1100);
    await ctx.deps.jobs.enqueue("reconcileStorage", {});
    await waitForIdle(ctx.deps);
    expect(await exists(storage, orphanKey)).toBe(false);
    expect((await ctx.prisma.garbageCollectionEvent.findMany()).map((e) => e.type)).toEqual(["StorageObject"]);
  }, 60_000);
});
