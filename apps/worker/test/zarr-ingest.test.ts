import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  computeZarrChecksum,
  createStorage,
  EMPTY_ZARR_CHECKSUM,
  ingestZarrArchive,
  loadConfig,
  sweepValidation,
  validateAssetMetadata,
  zarrKeyPrefix,
  type Storage,
} from "@dandi/core";
import { startMotoServer, type MotoServer } from "@dandi/testing";
import { handleSweepValidation } from "../src/handlers/sweep-validation.handler";
import { createWorkerTestContext, startTestWorker, waitFor, type WorkerTestContext } from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

let ctx: WorkerTestContext;
let moto: MotoServer;
let s3: Storage;

beforeAll(async () => {
  ctx = await createWorkerTestContext();
  moto = await startMotoServer();
  s3 = createStorage(loadConfig({ ...ctx.env, ...moto.env }));
  // Only the checksum queue: the validation jobs the ingest queues stay waiting, to be inspected.
  await startTestWorker(ctx.deps, ["checksum"]);
}, 120_000);
afterAll(() => moto?.stop());

const md5 = (b: Buffer) => createHash("md5").update(b).digest("hex");

/** A zarr-like tree: nested groups, an array with chunks, a unicode name. */
function zarrFiles(seed: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {
    ".zgroup": Buffer.from('{"zarr_format": 2}'),
    ".zattrs": Buffer.from(`{"seed": "${seed}"}`),
    "0/.zarray": Buffer.from('{"chunks": [2]}'),
    "labels/ünï/.zgroup": Buffer.from("{}"),
  };
  for (let i = 0; i < 7; i++) files[`0/${i}`] = Buffer.from(`${seed}-chunk-${i}`.repeat(i + 1));
  return files;
}

async function putFiles(storage: Storage, zarrId: string, files: Record<string, Buffer>): Promise<void> {
  for (const [rel, content] of Object.entries(files)) await storage.putObject(zarrKeyPrefix(zarrId) + rel, content);
}

function expectedDigest(files: Record<string, Buffer>) {
  return computeZarrChecksum(Object.entries(files).map(([path, b]) => ({ path, size: b.length, md5: md5(b) })));
}

interface Seeded {
  dandisetId: number;
  draftId: number;
  zarrPk: bigint;
  zarrId: string;
  assetPk: bigint;
}

/**
 * A draft holding one 1000-byte blob asset (seeded) and a zarr asset at
 * `ome/x.zarr` whose tree leaf and folder were recorded at `recordedSize`.
 */
async function seedZarrAsset(status: string, recordedSize = 0n): Promise<Seeded> {
  const { dandisetId, draftId } = await seedDandisetWithAssets(ctx.prisma, 1, "Valid");
  const zarr = await ctx.prisma.zarrArchive.create({
    data: { zarrId: randomUUID(), dandisetId, name: "ome/x.zarr", status },
  });
  const asset = await ctx.prisma.asset.create({
    data: {
      assetId: randomUUID(),
      path: "ome/x.zarr",
      zarrId: zarr.id,
      metadata: { schemaKey: "Asset", schemaVersion: "0.8.0", encodingFormat: "application/x-zarr" },
      status: "Valid",
    },
  });
  await ctx.prisma.versionAsset.create({
    data: { versionId: draftId, assetId: asset.id, path: asset.path, created: asset.created },
  });
  await ctx.prisma.$executeRaw`
    INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size) VALUES
      (${draftId}, 'ome', '', NULL, 1, ${recordedSize}),
      (${draftId}, 'ome/x.zarr', 'ome', ${asset.id}, 1, ${recordedSize})`;
  await ctx.prisma.version.update({
    where: { id: draftId },
    data: { assetCount: { increment: 1 }, size: { increment: recordedSize } },
  });
  return { dandisetId, draftId, zarrPk: zarr.id, zarrId: zarr.zarrId, assetPk: asset.id };
}

async function treeSizes(draftId: number) {
  const rows = await ctx.prisma.assetPath.findMany({ where: { versionId: draftId, path: { startsWith: "ome" } } });
  return Object.fromEntries(rows.map((r) => [r.path, [Number(r.aggregateFiles), Number(r.aggregateSize)]]));
}

async function queuedValidations(): Promise<string[]> {
  const jobs = await ctx.deps.jobs.queue("default").getJobs(["waiting", "delayed", "prioritized"]);
  return jobs.map((j) => `${j.name}:${JSON.stringify(j.data)}`);
}

describe("ingest_zarr_archive job", () => {
  it("checksums an uploaded zarr, sets it Complete and carries the new size into the draft", async () => {
    const seeded = await seedZarrAsset("Uploaded");
    const files = zarrFiles("one");
    await putFiles(ctx.deps.storage, seeded.zarrId, files);
    const expected = expectedDigest(files);
    const versionBefore = await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } });

    await ctx.deps.jobs.enqueue("ingestZarrArchive", { zarrId: seeded.zarrId });
    const zarr = await waitFor(async () => {
      const z = await ctx.prisma.zarrArchive.findUniqueOrThrow({ where: { id: seeded.zarrPk } });
      return z.status === "Complete" ? z : null;
    });

    expect(zarr.checksum).toBe(expected.digest);
    expect([Number(zarr.fileCount), Number(zarr.size)]).toEqual([11, expected.size]);
    expect(zarr.checksum).toMatch(new RegExp(`^[0-9a-f]{32}-11--${expected.size}$`));
    const version = await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } });
    expect(version.status).toBe("Pending");
    expect(version.size - versionBefore.size).toBe(BigInt(expected.size));
    expect(version.modified.getTime()).toBeGreaterThan(versionBefore.modified.getTime());
    expect(await treeSizes(seeded.draftId)).toEqual({ ome: [1, expected.size], "ome/x.zarr": [1, expected.size] });
    const asset = await ctx.prisma.asset.findUniqueOrThrow({ where: { id: seeded.assetPk } });
    expect(asset.status).toBe("Pending");
    // The handler enqueues after the zarr is committed Complete (asset validations, then the draft's):
    // wait for the last of them rather than read the queue in between.
    const wanted = [
      `validateAsset:${JSON.stringify({ assetId: seeded.assetPk.toString() })}`,
      `validateVersion:${JSON.stringify({ versionId: seeded.draftId })}`,
    ];
    const queued = await waitFor(async () => {
      const q = await queuedValidations();
      return wanted.every((w) => q.includes(w)) ? q : null;
    });
    expect(queued).toEqual(expect.arrayContaining(wanted));
  });

  it("re-ingests after files changed: sizes move by the difference, published assets stay untouched", async () => {
    const seeded = await seedZarrAsset("Uploaded");
    await putFiles(ctx.deps.storage, seeded.zarrId, zarrFiles("two"));
    expect((await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId })).status).toBe(
      "complete",
    );
    const published = await ctx.prisma.asset.create({
      data: {
        assetId: randomUUID(),
        path: "ome/x.zarr",
        zarrId: seeded.zarrPk,
        metadata: { schemaKey: "Asset", schemaVersion: "0.8.0" },
        status: "Valid",
        published: true,
      },
    });
    const sizeBefore = (await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } })).size;

    // The CLI deletes some chunks and rewrites one, then finalizes again.
    const prefix = zarrKeyPrefix(seeded.zarrId);
    await ctx.deps.storage.deleteObjects([`${prefix}0/5`, `${prefix}0/6`]);
    const files = zarrFiles("two");
    delete files["0/5"];
    delete files["0/6"];
    files["0/0"] = Buffer.from("rewritten");
    await ctx.deps.storage.putObject(`${prefix}0/0`, files["0/0"]);
    await ctx.prisma.zarrArchive.update({ where: { id: seeded.zarrPk }, data: { status: "Uploaded", checksum: null } });

    const result = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    const expected = expectedDigest(files);
    expect(result).toMatchObject({ status: "complete", checksum: expected.digest, fileCount: 9, size: expected.size });
    expect(await treeSizes(seeded.draftId)).toEqual({ ome: [1, expected.size], "ome/x.zarr": [1, expected.size] });
    const version = await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } });
    expect(version.size).toBe(1000n + BigInt(expected.size));
    expect(version.size).toBeLessThan(sizeBefore);
    expect((await ctx.prisma.asset.findUniqueOrThrow({ where: { id: published.id } })).status).toBe("Valid");
  });

  it("skips a zarr that is not finalized, and a missing one, changing nothing", async () => {
    const seeded = await seedZarrAsset("Pending");
    await putFiles(ctx.deps.storage, seeded.zarrId, zarrFiles("three"));
    const result = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(result).toEqual({ status: "not-uploaded", zarrStatus: "Pending" });
    const zarr = await ctx.prisma.zarrArchive.findUniqueOrThrow({ where: { id: seeded.zarrPk } });
    expect([zarr.status, zarr.checksum, zarr.fileCount]).toEqual(["Pending", null, 0n]);
    expect((await ctx.prisma.asset.findUniqueOrThrow({ where: { id: seeded.assetPk } })).status).toBe("Valid");
    expect(await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: randomUUID() })).toEqual({
      status: "missing",
    });
  });

  it("is safe to retry: a zarr left Ingesting is finished, a second run applies nothing twice", async () => {
    const seeded = await seedZarrAsset("Ingesting");
    const files = zarrFiles("four");
    await putFiles(ctx.deps.storage, seeded.zarrId, files);
    const first = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(first).toMatchObject({ status: "complete", checksum: expectedDigest(files).digest });
    const tree = await treeSizes(seeded.draftId);
    const size = (await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } })).size;
    const second = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(second).toEqual({ status: "not-uploaded", zarrStatus: "Complete" });
    expect(await treeSizes(seeded.draftId)).toEqual(tree);
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } })).size).toBe(size);
  });

  it("gives an empty zarr DANDI's empty checksum and zero size", async () => {
    const seeded = await seedZarrAsset("Uploaded", 500n);
    const result = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(result).toMatchObject({ status: "complete", checksum: EMPTY_ZARR_CHECKSUM, fileCount: 0, size: 0 });
    expect(await treeSizes(seeded.draftId)).toEqual({ ome: [1, 0], "ome/x.zarr": [1, 0] });
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: seeded.draftId } })).size).toBe(1000n);
  });

  it("pages through the listing (local and S3) with the same result as one page", async () => {
    const files = zarrFiles("five");
    for (let i = 0; i < 30; i++) files[`1/${i % 3}/${i}`] = Buffer.from(`x${i}`);
    const expected = expectedDigest(files);
    for (const storage of [ctx.deps.storage, s3]) {
      const seeded = await seedZarrAsset("Uploaded");
      await putFiles(storage, seeded.zarrId, files);
      const result = await ingestZarrArchive({ db: ctx.prisma, storage, zarrId: seeded.zarrId, pageSize: 4 });
      expect(result).toMatchObject({ status: "complete", checksum: expected.digest, fileCount: 41 });
    }
  });

  it("does not count another zarr whose id shares the prefix text", async () => {
    const seeded = await seedZarrAsset("Uploaded");
    await putFiles(ctx.deps.storage, seeded.zarrId, { a: Buffer.from("a") });
    await ctx.deps.storage.putObject(`zarr/${seeded.zarrId}x/b`, Buffer.from("b"));
    const result = await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(result).toMatchObject({ status: "complete", fileCount: 1, size: 1 });
  });
});

describe("validation sweep", () => {
  it("picks Pending zarr assets once their zarr is Complete, not before", async () => {
    const waiting = await seedZarrAsset("Uploaded");
    const ingested = await seedZarrAsset("Uploaded");
    await putFiles(ctx.deps.storage, ingested.zarrId, zarrFiles("six"));
    await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: ingested.zarrId });
    await ctx.prisma.asset.update({ where: { id: waiting.assetPk }, data: { status: "Pending" } });

    const found = await sweepValidation({ db: ctx.prisma, stuckAfterSeconds: 600 });
    expect(found.assetIds).toContain(ingested.assetPk);
    expect(found.assetIds).not.toContain(waiting.assetPk);
  });

  it("validates a zarr asset only once its zarr is Complete", async () => {
    const seeded = await seedZarrAsset("Uploaded");
    await ctx.prisma.asset.update({ where: { id: seeded.assetPk }, data: { status: "Pending" } });
    const validate = async () =>
      validateAssetMetadata({
        db: ctx.prisma,
        schemas: await ctx.deps.schemas(),
        storage: ctx.deps.storage,
        config: ctx.config,
        assetId: seeded.assetPk,
      });
    expect(await validate()).toBe("not-ready");
    await putFiles(ctx.deps.storage, seeded.zarrId, zarrFiles("seven"));
    await ingestZarrArchive({ db: ctx.prisma, storage: ctx.deps.storage, zarrId: seeded.zarrId });
    expect(await validate()).toBe("Valid");
    const asset = await ctx.prisma.asset.findUniqueOrThrow({ where: { id: seeded.assetPk } });
    expect([asset.status, asset.validationErrors]).toEqual(["Valid", []]);
  });

  it("re-queues the ingest of a zarr stuck Uploaded or Ingesting, once per stuck delay", async () => {
    const stuck = await seedZarrAsset("Ingesting");
    const files = zarrFiles("eight");
    await putFiles(ctx.deps.storage, stuck.zarrId, files);
    const fresh = await seedZarrAsset("Uploaded");
    await ctx.prisma.zarrArchive.update({
      where: { id: stuck.zarrPk },
      data: { modified: new Date(Date.now() - 3600_000) },
    });

    const first = await sweepValidation({ db: ctx.prisma, stuckAfterSeconds: 600 });
    expect(first.uningestedZarrIds).toContain(stuck.zarrId);
    expect(first.uningestedZarrIds).not.toContain(fresh.zarrId);
    expect((await sweepValidation({ db: ctx.prisma, stuckAfterSeconds: 600 })).uningestedZarrIds).not.toContain(
      stuck.zarrId,
    );

    // Through the sweep job: the checksum queue ingests it.
    await ctx.prisma.zarrArchive.update({
      where: { id: stuck.zarrPk },
      data: { modified: new Date(Date.now() - 3600_000) },
    });
    const result = await handleSweepValidation({}, ctx.deps);
    expect(result.detail).toMatchObject({ zarrs: 1 });
    const zarr = await waitFor(async () => {
      const z = await ctx.prisma.zarrArchive.findUniqueOrThrow({ where: { id: stuck.zarrPk } });
      return z.status === "Complete" ? z : null;
    });
    expect(zarr.checksum).toBe(expectedDigest(files).digest);
  });
});
