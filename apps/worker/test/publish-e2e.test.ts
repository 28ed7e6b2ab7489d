import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { pino } from "pino";
import { buildUser, startFakeDatacite, type FakeDatacite } from "@dandi/testing";
import { createTestContext, type TestContext } from "../../api/test/context";
import { buildWorkerDeps, type WorkerDeps } from "../src/deps";
import { buildBlob, startTestWorker, waitFor, waitForIdle } from "./context";

let ctx: TestContext;
let worker: WorkerDeps;
let datacite: FakeDatacite;
let token: string;
let blobs = 0;

beforeAll(async () => {
  datacite = await startFakeDatacite();
  ctx = await createTestContext({
    DANDI_DOI_API_URL: datacite.url,
    DANDI_DOI_API_USER: datacite.user,
    DANDI_DOI_API_PASSWORD: datacite.password,
    DANDI_DOI_PUBLISH: "true",
  });
  // The worker shares the API's database, storage and job prefix, as the Procfile processes share the deployment's.
  worker = await buildWorkerDeps(ctx.config, {
    prisma: ctx.prisma,
    storage: ctx.deps.storage,
    jobs: ctx.deps.jobs,
    schemas: ctx.deps.schemas,
    logger: pino({ level: "silent" }),
  });
  await startTestWorker(worker);
  ({ token } = await buildUser(ctx.prisma));
});
afterAll(() => datacite.close());

const auth = () => ({ Authorization: `token ${token}` });

async function readObject(key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await ctx.deps.storage.getObjectStream(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function createValidDraft(): Promise<{ id: string; assetPath: string }> {
  const created = await request(ctx.app)
    .post("/api/dandisets/")
    .set(auth())
    .send({ name: "Publish me", metadata: { description: "A dataset to publish" } })
    .expect(200);
  const id = created.body.identifier as string;
  const draft = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200);
  await request(ctx.app)
    .put(`/api/dandisets/${id}/versions/draft/`)
    .set(auth())
    .send({ name: "Publish me", metadata: { ...draft.body, license: ["spdx:CC0-1.0"] } })
    .expect(200);
  const blob = await buildBlob(
    worker,
    Buffer.from(`neurophysiology bytes ${String(++blobs).padStart(6, "0")}`.repeat(800)),
  );
  const assetPath = "sub-01/sub-01_ecephys.nwb";
  await request(ctx.app)
    .post(`/api/dandisets/${id}/versions/draft/assets/`)
    .set(auth())
    .send({ metadata: { path: assetPath, encodingFormat: "application/x-nwb" }, blob_id: blob.blobId })
    .expect(200);
  // What POST /uploads/{id}/validate/ queues for a new blob, then the periodic validation sweep.
  await worker.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
  await waitForIdle(worker);
  await worker.jobs.enqueue("sweepValidation", {});
  await waitForIdle(worker);
  return { id, assetPath };
}

describe("publishing through the API and the worker", () => {
  it("publishes a validated draft: new version, frozen assets, manifests, DOI, audit", async () => {
    const { id, assetPath } = await createValidDraft();
    const info = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/info/`).expect(200);
    expect({ status: info.body.status, errors: info.body.version_validation_errors }).toEqual({
      status: "Valid",
      errors: [],
    });
    expect(info.body.asset_validation_errors).toEqual([]);

    await request(ctx.app)
      .post(`/api/dandisets/${id}/versions/draft/publish/`)
      .set(auth())
      .send({ release_notes: "First release" })
      .expect(202, "");
    // What the dandi CLI does: poll draft info until Published, then read the newest version.
    await waitFor(async () => {
      const r = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/info/`);
      return r.body.status === "Published";
    });
    const versions = await request(ctx.app).get(`/api/dandisets/${id}/versions/?order=-created`).expect(200);
    const newest = versions.body.results[0];
    expect(newest.version).toMatch(/^0\.\d{6}\.\d{4}$/);
    expect(newest).toMatchObject({ status: "Valid", asset_count: 1 });
    const published = await request(ctx.app).get(`/api/dandisets/${id}/versions/${newest.version}/info/`).expect(200);
    expect(published.body.metadata).toMatchObject({
      version: newest.version,
      releaseNotes: "First release",
      assetsSummary: { numberOfFiles: 1, numberOfBytes: 22400 },
    });
    expect(published.body.metadata.publishedBy.name).toBe("DANDI publish");

    const assets = await request(ctx.app)
      .get(`/api/dandisets/${id}/versions/${newest.version}/assets/?metadata=true`)
      .expect(200);
    expect(assets.body.results.map((a: { path: string }) => a.path)).toEqual([assetPath]);
    const row = await ctx.prisma.asset.findUniqueOrThrow({ where: { assetId: assets.body.results[0].asset_id } });
    expect(row.published).toBe(true);
    expect(row.metadata).toHaveProperty("datePublished");

    await waitForIdle(worker);
    const prefix = `dandisets/${id}/${newest.version}/`;
    expect(await readObject(`${prefix}assets.yaml`)).toContain(`path: ${assetPath}`);
    expect(JSON.parse(await readObject(`${prefix}assets.jsonld`))).toHaveLength(1);
    expect(JSON.parse(await readObject(`${prefix}dandiset.jsonld`)).version).toBe(newest.version);
    expect(await readObject(`${prefix}dandiset.yaml`)).toContain(`version: ${newest.version}`);
    expect(JSON.parse(await readObject(`${prefix}collection.jsonld`))).toMatchObject({
      "@type": "prov:Collection",
      hasMember: [`dandiasset:${row.assetId}`],
    });

    const doi = `10.80507/dandi.${id}/${newest.version}`;
    const version = await ctx.prisma.version.findFirstOrThrow({ where: { version: newest.version } });
    expect(version.doi).toBe(doi);
    expect((version.metadata as { doi: string }).doi).toBe(doi);
    expect(datacite.dois.get(doi)).toMatchObject({ state: "findable", titles: [{ title: "Publish me" }] });
    const audit = await ctx.prisma.auditRecord.findMany({
      where: { dandisetId: Number(id), recordType: "publish_dandiset" },
    });
    expect(audit.map((a) => a.details)).toEqual([{ version: newest.version }]);

    // Download counts (from the analytics worker) per dandiset, blobs shared by versions counted once.
    expect((await request(ctx.app).get(`/api/dandisets/${id}/downloads/`).expect(200)).body).toEqual({
      download_count: 0,
    });
    await ctx.prisma.assetBlob.updateMany({ where: { id: row.blobId! }, data: { downloadCount: 7n } });
    expect((await request(ctx.app).get(`/api/dandisets/${id}/downloads/`).expect(200)).body).toEqual({
      download_count: 7,
    });

    // Nothing changed since: DANDI's 400.
    const again = await request(ctx.app).post(`/api/dandisets/${id}/versions/draft/publish/`).set(auth()).expect(400);
    expect(again.body).toBe("There have been no changes to the draft version since the last publish.");
  });

  it("answers DANDI's status matrix and permission errors", async () => {
    const { id } = await createValidDraft();
    const url = `/api/dandisets/${id}/versions/draft/publish/`;
    const setStatus = (status: string) =>
      ctx.prisma.version.updateMany({ where: { dandisetId: Number(id), version: "draft" }, data: { status } });
    const cases: [string, number, string][] = [
      ["Pending", 409, "Metadata validation is pending for this dandiset, please try again later."],
      ["Validating", 409, "Dandiset is currently being validated"],
      ["Invalid", 400, "Dandiset metadata or asset metadata is not valid"],
      ["Published", 400, "There have been no changes to the draft version since the last publish."],
      ["Publishing", 423, "Dandiset is currently being published"],
    ];
    for (const [status, code, message] of cases) {
      await setStatus(status);
      const res = await request(ctx.app).post(url).set(auth()).expect(code);
      expect(res.body).toBe(message);
    }
    await setStatus("Valid");
    await ctx.prisma.asset.updateMany({ data: { status: "Invalid" }, where: { published: false } });
    expect((await request(ctx.app).post(url).set(auth()).expect(400)).body).toBe(
      "Dandiset metadata or asset metadata is not valid",
    );
    const { token: stranger } = await buildUser(ctx.prisma);
    await request(ctx.app)
      .post(url)
      .set({ Authorization: `token ${stranger}` })
      .expect(403);
    await request(ctx.app).post(url).expect(401);
    const published = await ctx.prisma.version.findFirst({ where: { version: { not: "draft" } } });
    if (published) {
      const other = await request(ctx.app)
        .post(`/api/dandisets/${String(published.dandisetId).padStart(6, "0")}/versions/${published.version}/publish/`)
        .set(auth())
        .expect(405);
      expect(other.body).toBe("Only draft versions can be published");
    }
    await ctx.prisma.dandiset.update({
      where: { id: Number(id) },
      data: { embargoStatus: "EMBARGOED", embargoEndDate: new Date("2030-01-01") },
    });
    expect((await request(ctx.app).post(url).set(auth()).expect(400)).body).toBe(
      "Operation only allowed on OPEN dandisets",
    );
  });

  it("lists failed jobs to superusers only", async () => {
    const { token: admin } = await buildUser(ctx.prisma, { isSuperuser: true });
    const tampered = await buildBlob(worker, Buffer.from("tampered"), { etag: "fedcba9876543210fedcba9876543210-1" });
    await worker.jobs.enqueue("computeBlobSha256", { blobId: tampered.id.toString() });
    await waitForIdle(worker);
    await request(ctx.app).get("/api/admin/jobs/failed/").set(auth()).expect(403);
    await request(ctx.app).get("/api/admin/jobs/failed/").expect(401);
    const res = await request(ctx.app)
      .get("/api/admin/jobs/failed/")
      .set({ Authorization: `token ${admin}` })
      .expect(200);
    expect(res.body.count).toBeGreaterThanOrEqual(1);
    expect(res.body.results).toContainEqual(
      expect.objectContaining({
        queue: "checksum",
        name: "computeBlobSha256",
        id: `sha256-${tampered.id}`,
        data: { blobId: tampered.id.toString() },
        attempts_made: 1,
        failed_reason: expect.stringContaining("dandi-etag"),
        finished: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      }),
    );
  });
});
