import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { pino } from "pino";
import { aggregateAssetsSummary, updateDraftAssetsSummary } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createTestContext, type TestContext } from "../../api/test/context";
import { buildWorkerDeps, type WorkerDeps } from "../src/deps";
import { buildBlob, startTestWorker, waitFor, waitForIdle } from "./context";

let ctx: TestContext;
let worker: WorkerDeps;
let token: string;

beforeAll(async () => {
  ctx = await createTestContext();
  // The worker shares the API's database, storage and job prefix, as the Procfile processes do.
  worker = await buildWorkerDeps(ctx.config, {
    prisma: ctx.prisma,
    storage: ctx.deps.storage,
    jobs: ctx.deps.jobs,
    logger: pino({ level: "silent" }),
  });
  await startTestWorker(worker);
  ({ token } = await buildUser(ctx.prisma));
});

const auth = () => ({ Authorization: `token ${token}` });
const mouse = {
  schemaKey: "SpeciesType",
  identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090",
  name: "Mus musculus - House mouse",
};
const ecephys = { schemaKey: "ApproachType", name: "electrophysiological approach" };
const sorting = { schemaKey: "MeasurementTechniqueType", name: "spike sorting technique" };

/** Asset metadata as the dandi CLI sends it for an NWB file of one subject. */
function nwbMetadata(path: string, subject: string) {
  return {
    path,
    encodingFormat: "application/x-nwb",
    wasAttributedTo: [{ schemaKey: "Participant", identifier: subject, species: mouse }],
    approach: [ecephys],
    measurementTechnique: [sorting],
    variableMeasured: [{ schemaKey: "PropertyValue", value: "ElectricalSeries" }],
  };
}

/** A dandiset created through the API; returns its identifier. */
async function createDandiset(name: string, description: string): Promise<string> {
  const r = await request(ctx.app)
    .post("/api/dandisets/")
    .set(auth())
    .send({ name, metadata: { description } })
    .expect(200);
  return r.body.identifier as string;
}

/** Adds an asset to the draft through the API; returns the AssetDetail response. */
async function addAsset(id: string, metadata: Record<string, unknown>, blobId: string) {
  return request(ctx.app)
    .post(`/api/dandisets/${id}/versions/draft/assets/`)
    .set(auth())
    .send({ metadata, blob_id: blobId })
    .expect(200);
}

/** Gives the assets' blobs a SHA-256 and runs their validation jobs, as the validation sweep would. */
async function validate(assetUuids: string[]): Promise<void> {
  for (const assetId of assetUuids) {
    const asset = await ctx.prisma.asset.findUniqueOrThrow({ where: { assetId } });
    await ctx.prisma.assetBlob.update({ where: { id: asset.blobId! }, data: { sha256: "a".repeat(64) } });
    await worker.jobs.enqueue("validateAsset", { assetId: asset.id.toString() });
  }
  await waitFor(async () => {
    const statuses = await ctx.prisma.asset.findMany({ where: { assetId: { in: assetUuids } } });
    return statuses.every((a) => a.status === "Valid");
  });
}

async function draftSummary(id: string): Promise<Record<string, unknown>> {
  const r = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200);
  return r.body.assetsSummary as Record<string, unknown>;
}

describe("the draft's assetsSummary", () => {
  it("follows asset adds, updates and removals through the API, and survives a metadata save", async () => {
    const id = await createDandiset("Summary", "assetsSummary through the API");
    expect(await draftSummary(id)).toEqual({ schemaKey: "AssetsSummary", numberOfBytes: 0, numberOfFiles: 0 });

    const first = await buildBlob(worker, Buffer.alloc(1000, 1));
    const second = await buildBlob(worker, Buffer.alloc(2500, 2));
    const assets = await Promise.all(
      [
        ["sub-01/sub-01_ecephys.nwb", "01", first.blobId],
        ["sub-02/sub-02_ecephys.nwb", "02", second.blobId],
      ].map(async ([path, subject, blobId]) => {
        const r = await addAsset(id, nwbMetadata(path!, subject!), blobId!);
        return r.body.asset_id as string;
      }),
    );
    // Pending assets are not counted (DANDI aggregates Valid assets only); validation brings them in.
    await waitForIdle(worker);
    expect(await draftSummary(id)).toEqual({ schemaKey: "AssetsSummary", numberOfBytes: 0, numberOfFiles: 0 });
    await validate(assets);
    await waitFor(async () => (await draftSummary(id)).numberOfFiles === 2);
    expect(await draftSummary(id)).toEqual({
      schemaKey: "AssetsSummary",
      numberOfBytes: 3500,
      numberOfFiles: 2,
      numberOfSubjects: 2,
      species: [mouse],
      approach: [ecephys],
      measurementTechnique: [sorting],
      variableMeasured: ["ElectricalSeries"],
      dataStandard: [
        { schemaKey: "StandardsType", name: "Neurodata Without Borders (NWB)", identifier: "RRID:SCR_015242" },
      ],
    });

    // A metadata save strips computed fields but keeps the summary.
    const draft = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200);
    const saved = await request(ctx.app)
      .put(`/api/dandisets/${id}/versions/draft/`)
      .set(auth())
      .send({
        name: "Summary",
        metadata: { ...draft.body, description: "changed", assetsSummary: { numberOfFiles: 9 } },
      })
      .expect(200);
    expect(saved.body.metadata.assetsSummary).toMatchObject({ numberOfFiles: 2, numberOfBytes: 3500 });

    // Updating an asset to a file without subject or NWB format, then removing the other one.
    const third = await buildBlob(worker, Buffer.alloc(40, 3));
    const updated = await request(ctx.app)
      .put(`/api/dandisets/${id}/versions/draft/assets/${assets[0]}/`)
      .set(auth())
      .send({ metadata: { path: "notes.txt", encodingFormat: "text/plain" }, blob_id: third.blobId })
      .expect(200);
    await validate([updated.body.asset_id]);
    await request(ctx.app).delete(`/api/dandisets/${id}/versions/draft/assets/${assets[1]}/`).set(auth()).expect(204);
    await waitFor(async () => (await draftSummary(id)).numberOfBytes === 40);
    expect(await draftSummary(id)).toEqual({
      schemaKey: "AssetsSummary",
      numberOfBytes: 40,
      numberOfFiles: 1,
      species: [],
      approach: [],
      measurementTechnique: [],
      variableMeasured: [],
      dataStandard: [],
    });
  });

  it("is safe to run twice, and never touches a published version", async () => {
    const id = await createDandiset("Twice", "idempotent");
    const blob = await buildBlob(worker, Buffer.alloc(77, 4));
    const added = await addAsset(id, nwbMetadata("a.nwb", "sub-a"), blob.blobId);
    await validate([added.body.asset_id]);
    await waitForIdle(worker);
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandiset: { id: Number(id) } } });
    const once = await draftSummary(id);
    expect(once).toMatchObject({ numberOfFiles: 1, numberOfBytes: 77 });
    await worker.jobs.enqueue("aggregateAssetsSummary", { versionId: draft.id }, { delayMs: 0 });
    await waitForIdle(worker);
    expect(await draftSummary(id)).toEqual(once);
    expect(await ctx.prisma.version.count({ where: { dandiset: { id: Number(id) } } })).toBe(1);

    const published = await ctx.prisma.version.create({
      data: { dandisetId: Number(id), version: "0.261122.1900", name: "Twice", metadata: { frozen: true } },
    });
    expect(await updateDraftAssetsSummary(ctx.prisma, published.id)).toEqual({
      status: "skipped",
      reason: "not a draft",
    });
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: published.id } })).metadata).toEqual({
      frozen: true,
    });
  });

  it("counts a draft's Valid assets only (a publish aggregates them all)", async () => {
    const id = await createDandiset("Statuses", "Valid only");
    const ids: string[] = [];
    for (const [path, subject, size] of [
      ["sub-v/sub-v_ecephys.nwb", "v", 10],
      ["sub-p/sub-p_ecephys.nwb", "p", 200],
      ["sub-i/sub-i_ecephys.nwb", "i", 3000],
    ] as const) {
      const blob = await buildBlob(worker, Buffer.alloc(size, 5));
      const r = await addAsset(id, nwbMetadata(path, subject), blob.blobId);
      ids.push(r.body.asset_id as string);
    }
    await validate([ids[0]!]);
    await ctx.prisma.asset.update({ where: { assetId: ids[2]! }, data: { status: "Invalid" } });
    await waitForIdle(worker);
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    expect(await updateDraftAssetsSummary(ctx.prisma, draft.id)).toMatchObject({ status: "updated" });
    expect(await draftSummary(id)).toMatchObject({ numberOfBytes: 10, numberOfFiles: 1, numberOfSubjects: 1 });
    expect(await aggregateAssetsSummary(ctx.prisma, draft.id)).toMatchObject({
      numberOfBytes: 3210,
      numberOfFiles: 3,
      numberOfSubjects: 3,
    });
  });

  it("derives subjects, samples, cells, species and data standards as dandischema does", async () => {
    const id = await createDandiset("Entities", "summary fields");
    const rat = { schemaKey: "SpeciesType", identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10116", name: "Rat" };
    const sample = (identifier: string, name: string, from: unknown[] = []) => ({
      schemaKey: "BioSample",
      identifier,
      sampleType: { schemaKey: "SampleType", name },
      ...(from.length ? { wasDerivedFrom: from } : {}),
    });
    const metadatas = [
      {
        // "mouse_1" sanitises to "mouse-1", the subject the file name names too; the Organization's species is not counted.
        path: "sub-mouse-1/sub-mouse-1_ses-2_ecephys.nwb",
        encodingFormat: "application/x-nwb",
        wasAttributedTo: [
          { schemaKey: "Participant", identifier: "mouse_1", species: mouse },
          { schemaKey: "Organization", name: "Lab", species: rat },
        ],
        wasDerivedFrom: [sample("slice.1", "slice", [sample("t1", "tissuesample")])],
      },
      {
        // Subject "2" and tissue sample "t1" (already seen) from the name; the first BioSample is a cell.
        path: "sub-2_sample-t1_image.nwb",
        encodingFormat: "application/x-nwb",
        wasDerivedFrom: [{ schemaKey: "Session", identifier: "x" }, sample("c9", "cell"), sample("c10", "cell")],
      },
      { path: "dataset_description.json", encodingFormat: "application/json" },
    ];
    const ids: string[] = [];
    for (const metadata of metadatas) {
      const blob = await buildBlob(worker, Buffer.alloc(10, ids.length));
      const r = await addAsset(id, metadata, blob.blobId);
      ids.push(r.body.asset_id as string);
    }
    await ctx.prisma.asset.updateMany({ where: { assetId: { in: ids } }, data: { status: "Valid" } });
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    // A zarr asset: its bytes are its zarr's size.
    const zarr = await ctx.prisma.zarrArchive.create({
      data: {
        zarrId: randomUUID(),
        dandisetId: Number(id),
        name: "img",
        size: 500n,
        fileCount: 3n,
        status: "Complete",
        checksum: `${"0".repeat(32)}-3--500`,
      },
    });
    const zarrAsset = await ctx.prisma.asset.create({
      data: {
        assetId: randomUUID(),
        path: "micr/img.ome.zarr",
        zarrId: zarr.id,
        status: "Valid",
        metadata: { schemaVersion: "0.7.0", encodingFormat: "application/x-zarr" },
      },
    });
    await ctx.prisma.versionAsset.create({
      data: { versionId: draft.id, assetId: zarrAsset.id, path: zarrAsset.path, created: zarrAsset.created },
    });
    // The expectation is dandischema's aggregate_assets_summary output for these four metadata documents.
    expect(await aggregateAssetsSummary(ctx.prisma, draft.id, { validOnly: true })).toEqual({
      schemaKey: "AssetsSummary",
      numberOfBytes: 530,
      numberOfFiles: 4,
      numberOfSubjects: 2,
      numberOfSamples: 2,
      numberOfCells: 1,
      species: [mouse],
      approach: [],
      measurementTechnique: [],
      variableMeasured: [],
      dataStandard: [
        { schemaKey: "StandardsType", name: "Neurodata Without Borders (NWB)", identifier: "RRID:SCR_015242" },
        { schemaKey: "StandardsType", name: "Brain Imaging Data Structure (BIDS)", identifier: "RRID:SCR_016124" },
        { schemaKey: "StandardsType", name: "OME/NGFF Standard", identifier: "DOI:10.25504/FAIRsharing.9af712" },
      ],
    });
  });
});
