import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assetColumns,
  buildFullAssetMetadata,
  buildPublishedAssetMetadata,
  publishDandiset,
  toAssetRecord,
  writeManifestFiles,
  type TAssetRecord,
  type TAssetRow,
} from "@dandi/core";
import { createWorkerTestContext, type WorkerTestContext } from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

let ctx: WorkerTestContext;
beforeAll(async () => {
  ctx = await createWorkerTestContext();
});

const ASSETS = 25;

/** Every asset of a version with its blob, in manifest order (created, then id). */
async function loadVersionAssets(versionId: number): Promise<TAssetRecord[]> {
  const rows = await ctx.prisma.$queryRaw<TAssetRow[]>`
    SELECT ${assetColumns(true)} FROM version_assets va JOIN assets a ON a.id = va.asset_id
    LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE va.version_id = ${versionId} ORDER BY va.created, va.asset_id`;
  return rows.map(toAssetRecord);
}

async function readObject(key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await ctx.deps.storage.getObjectStream(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * A Publishing draft of ASSETS assets covering each case the set-based freeze
 * must get right: an asset published by an earlier version, a blob key that
 * PostgreSQL cannot turn into a URL, an embargoed blob without sha256,
 * metadata without schemaVersion. (Every asset has a blob: zarr assets, the
 * only ones without, block publishing.)
 */
async function seedVariedDraft() {
  const seeded = await seedDandisetWithAssets(ctx.prisma, ASSETS, "Publishing");
  const ids = (
    await ctx.prisma.versionAsset.findMany({ where: { versionId: seeded.draftId }, orderBy: { assetId: "asc" } })
  ).map((va) => va.assetId);
  await ctx.prisma.asset.update({
    where: { id: ids[0]! },
    data: { published: true, metadata: { schemaKey: "Asset", frozen: "by an earlier publish" } },
  });
  const odd = await ctx.prisma.assetBlob.create({
    data: {
      blobId: randomUUID(),
      key: `blobs/odd key/${randomUUID()}/ünï?#.bin`,
      etag: `${randomUUID().replace(/-/g, "")}-1`,
      sha256: "b".repeat(64),
      size: 5n,
    },
  });
  await ctx.prisma.asset.update({ where: { id: ids[1]! }, data: { blobId: odd.id } });
  const embargoedUuid = randomUUID();
  const embargoedEtag = `${randomUUID().replace(/-/g, "")}-1`;
  const embargoed = await ctx.prisma.assetBlob.create({
    data: {
      blobId: embargoedUuid,
      key: `blobs/${embargoedUuid.slice(0, 3)}/${embargoedUuid.slice(3, 6)}/${embargoedUuid}`,
      etag: embargoedEtag,
      sha256: null,
      size: 7n,
      embargoed: true,
    },
  });
  await ctx.prisma.asset.update({ where: { id: ids[2]! }, data: { blobId: embargoed.id } });
  await ctx.prisma.asset.update({
    where: { id: ids[4]! },
    data: {
      metadata: {
        encodingFormat: "text/plain",
        "@context": "own",
        nested: { list: [1, { a: null }] },
        approach: [{ schemaKey: "ApproachType", name: "electrophysiological approach" }],
        measurementTechnique: [{ schemaKey: "MeasurementTechniqueType", name: "spike sorting technique" }],
        variableMeasured: [{ schemaKey: "PropertyValue", value: "ElectricalSeries" }, { schemaKey: "PropertyValue" }],
      },
    },
  });
  // schemaKey kept even when null, @context only replaced for a string schemaVersion.
  await ctx.prisma.asset.update({
    where: { id: ids[5]! },
    data: { metadata: { schemaKey: null, schemaVersion: 1, encodingFormat: "x", empty: {}, none: null } },
  });
  await ctx.prisma.asset.update({
    where: { id: ids[6]! },
    data: { metadata: { schemaKey: "Other", schemaVersion: "0.6.0", "@context": "replaced", digest: { old: 1 } } },
  });
  const noSha = await ctx.prisma.assetBlob.create({
    data: {
      blobId: randomUUID(),
      key: `blobs/abc/def/${randomUUID()}`,
      etag: `${randomUUID().replace(/-/g, "")}-1`,
      sha256: null,
      size: 9n,
    },
  });
  await ctx.prisma.asset.update({ where: { id: ids[7]! }, data: { blobId: noSha.id } });
  return { ...seeded, ids, embargoedEtag };
}

describe("publishing a version in set-based batches", () => {
  it("rolls back a publish that fails half way; the rerun links and freezes every asset exactly once", async () => {
    const { dandisetId, draftId, userId, ids, embargoedEtag } = await seedVariedDraft();
    const before = await loadVersionAssets(draftId);
    const draftLinks = await ctx.prisma.versionAsset.findMany({
      where: { versionId: draftId },
      select: { assetId: true, path: true, created: true },
      orderBy: { assetId: "asc" },
    });
    const options = { db: ctx.prisma, storage: ctx.deps.storage, config: ctx.config, dandisetId, userId, batchSize: 7 };

    // A failure after the second batch (here: the progress callback throws inside the transaction).
    let calls = 0;
    await expect(
      publishDandiset({
        ...options,
        onProgress: (step) => {
          if (step === "linked" && ++calls === 2) throw new Error("worker lost half way");
        },
      }),
    ).rejects.toThrow("worker lost half way");
    expect(await ctx.prisma.version.count({ where: { dandisetId } })).toBe(1);
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).status).toBe("Publishing");
    expect(await loadVersionAssets(draftId)).toEqual(before);

    const progress: number[] = [];
    const result = await publishDandiset({
      ...options,
      onProgress: (step, linked) => step === "linked" && progress.push(linked),
    });
    if (result.status !== "published") throw new Error(JSON.stringify(result));
    expect(progress).toEqual([7, 14, 21, 25]);

    const links = await ctx.prisma.versionAsset.findMany({
      where: { versionId: result.versionId },
      select: { assetId: true, path: true, created: true },
      orderBy: { assetId: "asc" },
    });
    expect(links).toEqual(draftLinks);

    const version = await ctx.prisma.version.findUniqueOrThrow({ where: { id: result.versionId } });
    const { publishedBy, datePublished } = version.metadata as {
      publishedBy: Record<string, unknown>;
      datePublished: string;
    };
    const after = new Map((await loadVersionAssets(result.versionId)).map((a) => [a.id, a]));
    for (const asset of before) {
      const frozen = after.get(asset.id)!;
      expect(frozen.published).toBe(true);
      const expected =
        asset.id === ids[0]
          ? asset.metadata
          : buildPublishedAssetMetadata({
              asset,
              apiUrl: ctx.config.DANDI_API_URL,
              objectUrl: (k) => ctx.deps.storage.objectUrl(k),
              publishedBy,
              datePublished,
            });
      expect(frozen.metadata, asset.path).toEqual(expected);
    }
    expect((after.get(ids[1]!)!.metadata.contentUrl as string[])[1]).toMatch(
      /\/odd%20key\/[0-9a-f-]{36}\/%C3%BCn%C3%AF%3F%23\.bin$/,
    );
    expect(after.get(ids[2]!)!.metadata).toMatchObject({
      access: [{ schemaKey: "AccessRequirements", status: "dandi:EmbargoedAccess" }],
      digest: { "dandi:dandi-etag": embargoedEtag },
      contentSize: 7,
    });
    expect(after.get(ids[4]!)!.metadata["@context"]).toBe("own");
    expect(after.get(ids[5]!)!.metadata).toMatchObject({ schemaKey: null, empty: {}, none: null });
    expect(after.get(ids[5]!)!.metadata).not.toHaveProperty("@context");
    expect(after.get(ids[6]!)!.metadata).toMatchObject({
      schemaKey: "Other",
      "@context": "https://raw.githubusercontent.com/dandi/schema/master/releases/0.6.0/context.json",
    });
    expect(Object.keys(after.get(ids[7]!)!.metadata.digest as object)).toEqual(["dandi:dandi-etag"]);
    // Summed over the frozen metadata; four assets' metadata were replaced by ones without a participant.
    const summary = {
      schemaKey: "AssetsSummary",
      numberOfBytes: 22 * 1000 + 5 + 7 + 9,
      numberOfFiles: ASSETS,
      numberOfSubjects: ASSETS - 4,
      species: [
        {
          schemaKey: "SpeciesType",
          identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090",
          name: "Mus musculus - House mouse",
        },
      ],
      approach: [{ schemaKey: "ApproachType", name: "electrophysiological approach" }],
      measurementTechnique: [{ schemaKey: "MeasurementTechniqueType", name: "spike sorting technique" }],
      variableMeasured: ["ElectricalSeries"],
      dataStandard: [
        { schemaKey: "StandardsType", name: "Neurodata Without Borders (NWB)", identifier: "RRID:SCR_015242" },
      ],
    };
    expect((version.metadata as { assetsSummary: unknown }).assetsSummary).toEqual(summary);
    const draft = await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } });
    expect((draft.metadata as { assetsSummary: unknown }).assetsSummary).toEqual(summary);

    // Run again: nothing left to do, nothing duplicated.
    expect(await publishDandiset(options)).toMatchObject({ status: "skipped", latestVersionId: result.versionId });
    expect(await ctx.prisma.versionAsset.count({ where: { versionId: result.versionId } })).toBe(ASSETS);
    expect(await ctx.prisma.version.count({ where: { dandisetId } })).toBe(2);
    expect(await ctx.prisma.auditRecord.count({ where: { dandisetId, recordType: "publish_dandiset" } })).toBe(1);
  });

  it("writes manifests of a version read in many pages: every asset once, in order, the same on a rerun", async () => {
    const { dandisetId, userId } = await seedVariedDraft();
    const result = await publishDandiset({
      db: ctx.prisma,
      storage: ctx.deps.storage,
      config: ctx.config,
      dandisetId,
      userId,
    });
    if (result.status !== "published") throw new Error(JSON.stringify(result));
    const expected = (await loadVersionAssets(result.versionId)).map((asset) =>
      buildFullAssetMetadata({
        asset,
        apiUrl: ctx.config.DANDI_API_URL,
        objectUrl: (k) => ctx.deps.storage.objectUrl(k),
      }),
    );
    // Seeded in one statement, the assets share one `created`: the pages are cut by the id tie-break.
    expect(new Set(expected.map((m) => m.id)).size).toBe(ASSETS);

    const progress: number[] = [];
    const write = () =>
      writeManifestFiles({
        db: ctx.prisma,
        storage: ctx.deps.storage,
        config: ctx.config,
        versionId: result.versionId,
        pageSize: 4,
        onProgress: (n) => progress.push(n),
      });
    expect(await write()).toEqual({ assets: ASSETS });
    expect(progress).toEqual([4, 8, 12, 16, 20, 24, 25]);

    const prefix = `dandisets/${String(dandisetId).padStart(6, "0")}/${result.version}/`;
    const files = async () =>
      Object.fromEntries(
        await Promise.all(
          ["assets.yaml", "assets.jsonld", "collection.jsonld", "dandiset.yaml", "dandiset.jsonld"].map(
            async (f) => [f, await readObject(prefix + f)] as const,
          ),
        ),
      );
    const first = await files();
    expect(load(first["assets.yaml"]!)).toEqual(expected);
    expect(JSON.parse(first["assets.jsonld"]!)).toEqual(expected);
    expect(JSON.parse(first["collection.jsonld"]!).hasMember).toEqual(expected.map((m) => m.id));
    const version = await ctx.prisma.version.findUniqueOrThrow({ where: { id: result.versionId } });
    expect(load(first["dandiset.yaml"]!)).toEqual(version.metadata);
    expect(JSON.parse(first["dandiset.jsonld"]!)).toEqual(version.metadata);

    await write();
    expect(await files()).toEqual(first);
  });

  it("aborts its multipart uploads when writing fails half way, and a rerun writes complete files", async () => {
    const assets = 14_000;
    const { dandisetId, draftId } = await seedDandisetWithAssets(ctx.prisma, assets);
    const multipartDir = path.join(ctx.config.LOCAL_STORAGE_DIR, "multipart");
    const pending = () => (fs.existsSync(multipartDir) ? fs.readdirSync(multipartDir).length : 0);
    const options = { db: ctx.prisma, storage: ctx.deps.storage, config: ctx.config, versionId: draftId };
    let started = 0;
    await expect(
      writeManifestFiles({
        ...options,
        onProgress: (n) => {
          // Fail as soon as a file has passed its first 8 MiB part: its multipart upload is under way.
          started = pending();
          if (started > 0 && n < assets) throw new Error("storage went away");
        },
      }),
    ).rejects.toThrow("storage went away");
    expect(started).toBeGreaterThan(0);
    expect(pending()).toBe(0);

    expect(await writeManifestFiles(options)).toEqual({ assets });
    const prefix = `dandisets/${String(dandisetId).padStart(6, "0")}/draft/`;
    expect(JSON.parse(await readObject(`${prefix}assets.jsonld`))).toHaveLength(assets);
    expect(pending()).toBe(0);
  });
});
