import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { pino } from "pino";
import { updateDraftAssetsSummary } from "@dandi/core";
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

async function draftSummary(id: string): Promise<Record<string, unknown>> {
  const r = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200);
  return r.body.assetsSummary as Record<string, unknown>;
}

describe("the draft's assetsSummary", () => {
  it("follows asset adds, updates and removals through the API, and survives a metadata save", async () => {
    const created = await request(ctx.app)
      .post("/api/dandisets/")
      .set(auth())
      .send({ name: "Summary", metadata: { description: "assetsSummary through the API" } })
      .expect(200);
    const id = created.body.identifier as string;
    expect(await draftSummary(id)).toEqual({ schemaKey: "AssetsSummary", numberOfBytes: 0, numberOfFiles: 0 });

    const first = await buildBlob(worker, Buffer.alloc(1000, 1));
    const second = await buildBlob(worker, Buffer.alloc(2500, 2));
    const assets = await Promise.all(
      [
        ["sub-01/sub-01_ecephys.nwb", "sub-01", first.blobId],
        ["sub-02/sub-02_ecephys.nwb", "sub-02", second.blobId],
      ].map(async ([path, subject, blobId]) => {
        const r = await request(ctx.app)
          .post(`/api/dandisets/${id}/versions/draft/assets/`)
          .set(auth())
          .send({ metadata: nwbMetadata(path!, subject!), blob_id: blobId })
          .expect(200);
        return r.body.asset_id as string;
      }),
    );
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
    await request(ctx.app)
      .put(`/api/dandisets/${id}/versions/draft/assets/${assets[0]}/`)
      .set(auth())
      .send({ metadata: { path: "notes.txt", encodingFormat: "text/plain" }, blob_id: third.blobId })
      .expect(200);
    await request(ctx.app).delete(`/api/dandisets/${id}/versions/draft/assets/${assets[1]}/`).set(auth()).expect(204);
    await waitFor(async () => (await draftSummary(id)).numberOfBytes === 40);
    expect(await draftSummary(id)).toEqual({ schemaKey: "AssetsSummary", numberOfBytes: 40, numberOfFiles: 1 });
  });

  it("is safe to run twice, and never touches a published version", async () => {
    const created = await request(ctx.app)
      .post("/api/dandisets/")
      .set(auth())
      .send({ name: "Twice", metadata: { description: "idempotent" } })
      .expect(200);
    const id = created.body.identifier as string;
    const blob = await buildBlob(worker, Buffer.alloc(77, 4));
    await request(ctx.app)
      .post(`/api/dandisets/${id}/versions/draft/assets/`)
      .set(auth())
      .send({ metadata: nwbMetadata("a.nwb", "sub-a"), blob_id: blob.blobId })
      .expect(200);
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
});
