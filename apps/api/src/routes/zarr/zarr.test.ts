import { createHash, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import {
  computeApplicationStats,
  ingestZarrArchive,
  LocalStorage,
  unembargoDandiset,
  writeManifestFiles,
  zarrKeyPrefix,
} from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createDandiset, startUploadTestServer } from "../uploads/uploads.cases";

// A listening server: the presigned zarr PUT URLs are used over real HTTP, as the dandi CLI does.
const ctx = await startUploadTestServer("local");
const storage = ctx.deps.storage as LocalStorage;
const md5b64 = (b: Buffer) => createHash("md5").update(b).digest("base64");
const md5hex = (b: Buffer) => createHash("md5").update(b).digest("hex");
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type TUser = Awaited<ReturnType<typeof buildUser>>;
let owner: TUser;
let other: TUser;
let admin: TUser;
const auth = (u: TUser) => ({ Authorization: `token ${u.token}` });

beforeAll(async () => {
  owner = await buildUser(ctx.prisma);
  other = await buildUser(ctx.prisma);
  admin = await buildUser(ctx.prisma, { isSuperuser: true });
});

async function newZarr(identifier: string, name = `z-${randomBytes(4).toString("hex")}.zarr`, who = owner) {
  const res = await request(ctx.app).post("/api/zarr/").set(auth(who)).send({ name, dandiset: identifier });
  expect(res.status).toBe(200);
  return res.body as { zarr_id: string; name: string };
}

/** POSTs the files for URLs and PUTs each one with its Content-MD5, as the CLI does. */
async function uploadFiles(zarrId: string, files: Record<string, Buffer>, who = owner) {
  const entries = Object.entries(files);
  const res = await request(ctx.app)
    .post(`/api/zarr/${zarrId}/files/`)
    .set(auth(who))
    .send(entries.map(([path, body]) => ({ path, base64md5: md5b64(body) })));
  expect(res.status).toBe(200);
  expect(res.body).toHaveLength(entries.length);
  for (const [i, [, body]] of entries.entries()) {
    const put = await fetch(res.body[i], {
      method: "PUT",
      body: new Uint8Array(body),
      headers: { "Content-MD5": md5b64(body) },
    });
    expect(put.status).toBe(200);
  }
  return res.body as string[];
}

async function ingest(zarrId: string) {
  await request(ctx.app).post(`/api/zarr/${zarrId}/finalize/`).set(auth(owner)).expect(204);
  const result = await ingestZarrArchive({ db: ctx.prisma, storage, zarrId });
  expect(result.status).toBe("complete");
}

describe("POST /api/zarr/", () => {
  it("creates a Pending zarr in an owned dandiset and audits create_zarr", async () => {
    const { identifier, dandiset } = await createDandiset(ctx.prisma, [owner.user.id]);
    const res = await request(ctx.app)
      .post("/api/zarr/")
      .set(auth(owner))
      .send({ name: "sample.zarr", dandiset: identifier })
      .expect(200);
    expect(res.body).toEqual({
      name: "sample.zarr",
      dandiset: identifier,
      zarr_id: expect.stringMatching(UUID_RE),
      status: "Pending",
      checksum: null,
      file_count: 0,
      size: 0,
    });
    const audit = await ctx.prisma.auditRecord.findFirstOrThrow({
      where: { dandisetId: dandiset.id, recordType: "create_zarr" },
    });
    expect(audit.details).toEqual({ zarr_id: res.body.zarr_id, name: "sample.zarr" });

    const dup = await request(ctx.app)
      .post("/api/zarr/")
      .set(auth(owner))
      .send({ name: "sample.zarr", dandiset: identifier });
    expect([dup.status, dup.body]).toEqual([
      400,
      { non_field_errors: ["The fields dandiset, name must make a unique set."] },
    ]);
    expect(await ctx.prisma.zarrArchive.count({ where: { dandisetId: dandiset.id } })).toBe(1);
  });

  it("answers DANDI's errors: bad id, unknown dandiset, non-owner, unembargoing, anonymous", async () => {
    const { identifier } = await createDandiset(ctx.prisma, [owner.user.id]);
    const post = (body: object, who?: TUser) => {
      const r = request(ctx.app).post("/api/zarr/");
      return (who ? r.set(auth(who)) : r).send(body);
    };
    let res = await post({ name: "a", dandiset: "000001asd" }, owner);
    expect([res.status, res.body]).toEqual([400, { dandiset: ["A valid Dandiset identifier is required."] }]);
    res = await post({ name: "a", dandiset: "999999" }, owner);
    expect(res.status).toBe(400);
    expect(res.body.dandiset[0]).toMatch(/object does not exist/);
    res = await post({ dandiset: identifier }, owner);
    expect([res.status, res.body]).toEqual([400, { name: ["This field is required."] }]);
    res = await post({ name: "x".repeat(513), dandiset: identifier }, owner);
    expect(res.status).toBe(400);
    res = await post({ name: "a", dandiset: identifier }, other);
    expect([res.status, res.body]).toEqual([403, { detail: "You do not have permission to perform this action." }]);
    res = await post({ name: "a", dandiset: identifier });
    expect(res.status).toBe(401);
    const unembargoing = await createDandiset(ctx.prisma, [owner.user.id], "UNEMBARGOING");
    res = await post({ name: "a", dandiset: unembargoing.identifier }, owner);
    expect([res.status, res.body]).toEqual([400, "Cannot add zarr to dandiset during unembargo"]);
    // An embargoed dandiset the caller cannot see is an unknown one.
    const embargoed = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
    res = await post({ name: "a", dandiset: embargoed.identifier }, other);
    expect(res.status).toBe(400);
    res = await post({ name: "a", dandiset: embargoed.identifier }, owner);
    expect(res.status).toBe(200);
    expect(await ctx.prisma.zarrArchive.count({ where: { name: "a" } })).toBe(1);
  });
});

describe("GET /api/zarr/", () => {
  it("filters by dandiset and name, oldest first, and hides embargoed zarrs from non-owners", async () => {
    const a = await createDandiset(ctx.prisma, [owner.user.id]);
    const b = await createDandiset(ctx.prisma, [owner.user.id]);
    const e = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
    const aTest = await newZarr(a.identifier, "list-test");
    const aUnique = await newZarr(a.identifier, "list-unique");
    const bTest = await newZarr(b.identifier, "list-test");
    const eTest = await newZarr(e.identifier, "list-test");

    let res = await request(ctx.app).get(`/api/zarr/?dandiset=${a.identifier}`).expect(200);
    expect(res.body.count).toBe(2);
    expect(res.body.results.map((z: { zarr_id: string }) => z.zarr_id)).toEqual([aTest.zarr_id, aUnique.zarr_id]);
    res = await request(ctx.app).get("/api/zarr/?name=list-test").expect(200);
    expect(res.body.results.map((z: { zarr_id: string }) => z.zarr_id)).toEqual([aTest.zarr_id, bTest.zarr_id]);
    res = await request(ctx.app).get("/api/zarr/?name=list-test").set(auth(other)).expect(200);
    expect(res.body.count).toBe(2);
    res = await request(ctx.app).get("/api/zarr/?name=list-test").set(auth(owner)).expect(200);
    expect(res.body.results.map((z: { zarr_id: string }) => z.zarr_id)).toEqual([
      aTest.zarr_id,
      bTest.zarr_id,
      eTest.zarr_id,
    ]);
    res = await request(ctx.app).get(`/api/zarr/?dandiset=${b.identifier}&name=list-test`).expect(200);
    expect(res.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(res.body.results[0]).toEqual({
      name: "list-test",
      dandiset: b.identifier,
      zarr_id: bTest.zarr_id,
      status: "Pending",
      checksum: null,
      file_count: 0,
      size: 0,
    });
    res = await request(ctx.app).get("/api/zarr/?dandiset=12").expect(400);
    expect(res.body).toEqual({ dandiset: ["A valid Dandiset identifier is required."] });
  });

  it("GET /api/zarr/{id}/: 404 for unknown ids and for an embargoed zarr the caller does not own", async () => {
    const e = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
    const z = await newZarr(e.identifier);
    await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(404);
    await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).set(auth(other)).expect(404);
    await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/`).set(auth(other)).expect(404);
    expect((await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).set(auth(owner)).expect(200)).body.zarr_id).toBe(
      z.zarr_id,
    );
    await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).set(auth(admin)).expect(200);
    await request(ctx.app).get(`/api/zarr/${crypto.randomUUID()}/`).expect(404);
    await request(ctx.app).get("/api/zarr/not-a-uuid/").expect(404);
  });
});

describe("zarr files", () => {
  it("upload, list (prefix, after, limit, next), download, HEAD, delete, finalize, ingest", async () => {
    const { identifier, dandiset } = await createDandiset(ctx.prisma, [owner.user.id]);
    const z = await newZarr(identifier);
    const files: Record<string, Buffer> = {
      ".zattrs": Buffer.from("{}"),
      "foo/bar/a.txt": Buffer.from("a"),
      "foo/bar/b.txt": Buffer.from("bb"),
      "foo/baz.txt": Buffer.from("ccc"),
      "0/0": randomBytes(100),
    };
    await uploadFiles(z.zarr_id, files);
    const audit = await ctx.prisma.auditRecord.findFirstOrThrow({
      where: { dandisetId: dandiset.id, recordType: "upload_zarr_chunks" },
    });
    expect(audit.details).toEqual({ zarr_id: z.zarr_id, paths: Object.keys(files) });

    const list = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/`).expect(200);
    expect(list.body.next).toBeNull();
    expect(list.body.results.map((r: { Key: string }) => r.Key)).toEqual([
      ".zattrs",
      "0/0",
      "foo/bar/a.txt",
      "foo/bar/b.txt",
      "foo/baz.txt",
    ]);
    expect(list.body.results[2]).toEqual({
      Key: "foo/bar/a.txt",
      LastModified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?\+00:00$/),
      ETag: md5hex(Buffer.from("a")),
      Size: 1,
    });

    let res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?prefix=foo/`).expect(200);
    expect(res.body.results.map((r: { Key: string }) => r.Key)).toEqual([
      "foo/bar/a.txt",
      "foo/bar/b.txt",
      "foo/baz.txt",
    ]);
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?after=foo/bar/a.txt`).expect(200);
    expect(res.body.results.map((r: { Key: string }) => r.Key)).toEqual(["foo/bar/b.txt", "foo/baz.txt"]);
    // limit=2 pages through with `next` (the CLI follows it sequentially; there is no count).
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?prefix=foo&limit=2`).expect(200);
    expect(res.body.results.map((r: { Key: string }) => r.Key)).toEqual(["foo/bar/a.txt", "foo/bar/b.txt"]);
    const next = new URL(res.body.next);
    expect(Object.fromEntries(next.searchParams)).toEqual({ prefix: "foo", limit: "2", after: "foo/bar/b.txt" });
    res = await request(ctx.app).get(`${next.pathname}${next.search}`).expect(200);
    expect([res.body.next, res.body.results.map((r: { Key: string }) => r.Key)]).toEqual([null, ["foo/baz.txt"]]);
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?limit=1001`).expect(400);
    expect(res.body).toEqual({ limit: ["Ensure this value is less than or equal to 1000."] });
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?prefix=foo/../../x`).expect(400);
    expect(res.body).toEqual({ prefix: ['Zarr path cannot contain ".." components.'] });
    // The CLI lists without the trailing slash: APPEND_SLASH's 301 keeps the query.
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files?prefix=foo`).expect(301);
    expect(res.headers.location).toBe(`/api/zarr/${z.zarr_id}/files/?prefix=foo`);

    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/files/?prefix=foo/bar/a.txt&download=true`).expect(302);
    expect(res.headers.location).toContain(`/zarr/${z.zarr_id}/foo/bar/a.txt?`);
    const got = await fetch(String(res.headers.location));
    expect(await got.text()).toBe("a");
    res = await request(ctx.app).head(`/api/zarr/${z.zarr_id}/files/?prefix=foo/baz.txt`).expect(302);
    const head = await fetch(String(res.headers.location), { method: "HEAD" });
    expect([head.status, head.headers.get("content-length")]).toEqual([200, "3"]);

    // Deletes: a missing file is a 400 and nothing is deleted.
    res = await request(ctx.app)
      .delete(`/api/zarr/${z.zarr_id}/files/`)
      .set(auth(owner))
      .send([{ path: "foo/baz.txt" }, { path: "does/not/exist" }])
      .expect(400);
    expect(res.body).toEqual([`File zarr/${z.zarr_id}/does/not/exist does not exist.`]);
    expect(await storage.headObject(`${zarrKeyPrefix(z.zarr_id)}foo/baz.txt`)).not.toBeNull();
    await request(ctx.app)
      .delete(`/api/zarr/${z.zarr_id}/files/`)
      .set(auth(other))
      .send([{ path: "foo/baz.txt" }])
      .expect(403);
    await request(ctx.app)
      .delete(`/api/zarr/${z.zarr_id}/files/`)
      .set(auth(owner))
      .send([{ path: "foo/baz.txt" }])
      .expect(204);
    expect(await storage.headObject(`${zarrKeyPrefix(z.zarr_id)}foo/baz.txt`)).toBeNull();

    // Finalize: Pending -> Uploaded, one ingest job queued; then uploads, deletes and finalize are refused.
    await request(ctx.app).post(`/api/zarr/${z.zarr_id}/finalize/`).set(auth(other)).expect(403);
    await request(ctx.app).post(`/api/zarr/${z.zarr_id}/finalize/`).set(auth(owner)).expect(204);
    const jobs = await ctx.deps.jobs.queue("checksum").getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.filter((j) => j.name === "ingestZarrArchive" && j.data.zarrId === z.zarr_id)).toHaveLength(1);
    expect((await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(200)).body.status).toBe("Uploaded");
    const refused = "Zarr archive is currently ingesting or has already ingested";
    for (const r of [
      request(ctx.app).post(`/api/zarr/${z.zarr_id}/finalize/`).set(auth(owner)),
      request(ctx.app)
        .post(`/api/zarr/${z.zarr_id}/files/`)
        .set(auth(owner))
        .send([{ path: "x", base64md5: md5b64(Buffer.from("x")) }]),
      request(ctx.app)
        .delete(`/api/zarr/${z.zarr_id}/files/`)
        .set(auth(owner))
        .send([{ path: ".zattrs" }]),
    ]) {
      const out = await r;
      expect([out.status, out.body]).toEqual([400, refused]);
    }

    const result = await ingestZarrArchive({ db: ctx.prisma, storage, zarrId: z.zarr_id });
    expect(result.status).toBe("complete");
    res = await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(200);
    expect(res.body).toMatchObject({ status: "Complete", file_count: 4, size: 2 + 1 + 2 + 100 });
    expect(res.body.checksum).toMatch(/^[0-9a-f]{32}-4--105$/);

    // New files after ingest: the zarr is Pending again with no checksum.
    await uploadFiles(z.zarr_id, { "1/0": Buffer.from("new") });
    expect((await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(200)).body).toMatchObject({
      status: "Pending",
      checksum: null,
      file_count: 0,
      size: 0,
    });
  });

  it("refuses bad file bodies, '..' paths and non-owners before presigning anything", async () => {
    const { identifier } = await createDandiset(ctx.prisma, [owner.user.id]);
    const z = await newZarr(identifier);
    const post = (body: unknown, who = owner) =>
      request(ctx.app)
        .post(`/api/zarr/${z.zarr_id}/files/`)
        .set(auth(who))
        .send(body as object);
    let res = await post([{ path: "a/../../../blobs/x", base64md5: "AAAA" }]);
    expect([res.status, res.body]).toEqual([400, [{ path: ['Zarr path cannot contain ".." components.'] }]]);
    res = await post([{ path: "a\\..\\b", base64md5: "AAAA" }]);
    expect(res.status).toBe(400);
    res = await post([{ path: "ok", base64md5: "AAAA" }, { base64md5: "AAAA" }]);
    expect([res.status, res.body]).toEqual([400, [{}, { path: ["This field is required."] }]]);
    res = await post({ path: "a", base64md5: "AAAA" });
    expect([res.status, res.body]).toEqual([
      400,
      { non_field_errors: ['Expected a list of items but got type "dict".'] },
    ]);
    res = await post([{ path: "a", base64md5: "AAAA" }], other);
    expect(res.status).toBe(403);
    res = await request(ctx.app)
      .delete(`/api/zarr/${z.zarr_id}/files/`)
      .set(auth(owner))
      .send([{ path: "../x" }]);
    expect([res.status, res.body]).toEqual([400, [{ path: ['Zarr path cannot contain ".." components.'] }]]);
    await request(ctx.app)
      .post(`/api/zarr/${z.zarr_id}/files/`)
      .send([{ path: "a", base64md5: "AAAA" }])
      .expect(401);
    expect(
      await ctx.prisma.auditRecord.count({
        where: { recordType: "upload_zarr_chunks", details: { path: ["zarr_id"], equals: z.zarr_id } },
      }),
    ).toBe(0);
  });

  it("presigns embargoed=true for an embargoed dandiset's zarr files; unembargo clears the tags", async () => {
    const { identifier } = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
    const z = await newZarr(identifier);
    await uploadFiles(z.zarr_id, { "0/0": Buffer.from("secret") });
    const key = `${zarrKeyPrefix(z.zarr_id)}0/0`;
    expect((await storage.statObject(key))?.embargoed).toBe(true);
    expect((await fetch(storage.objectUrl(key))).status).toBe(403);

    // Unembargo removes the tag from every zarr file.
    await uploadFiles(z.zarr_id, Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`1/${i}`, Buffer.from([i])])));
    const dandisetId = Number(identifier);
    await ctx.prisma.dandiset.update({ where: { id: dandisetId }, data: { embargoStatus: "UNEMBARGOING" } });
    const done = await unembargoDandiset({
      prisma: ctx.prisma,
      storage,
      mailer: ctx.deps.mailer,
      logger: ctx.deps.logger,
      webAppUrl: ctx.config.DANDI_WEB_APP_URL,
      dandisetId,
      user: owner.user,
    });
    expect(done).toBe(true);
    for (const k of ["0/0", "1/0", "1/1", "1/2"]) {
      expect((await storage.statObject(`${zarrKeyPrefix(z.zarr_id)}${k}`))?.embargoed).toBe(false);
    }
    expect((await fetch(storage.objectUrl(key))).status).toBe(200);

    const open = await createDandiset(ctx.prisma, [owner.user.id]);
    const oz = await newZarr(open.identifier);
    await uploadFiles(oz.zarr_id, { "0/0": Buffer.from("public") });
    expect((await storage.statObject(`${zarrKeyPrefix(oz.zarr_id)}0/0`))?.embargoed).toBe(false);
  });
});

describe("zarr assets", () => {
  it("adds a zarr asset with zarr-derived size, digest and encodingFormat; filters, download 400, stats", async () => {
    const { identifier, draftId } = await createDandiset(ctx.prisma, [owner.user.id]);
    const base = `/api/dandisets/${identifier}/versions/draft/assets/`;
    const z = await newZarr(identifier, "data/sample.zarr");
    const res = await request(ctx.app)
      .post(base)
      .set(auth(owner))
      .send({ metadata: { path: "data/sample.zarr" }, zarr_id: z.zarr_id })
      .expect(200);
    expect(res.body).toMatchObject({ blob: null, zarr: z.zarr_id, path: "data/sample.zarr", size: 0 });
    const assetId = res.body.asset_id as string;
    expect(res.body.metadata).toMatchObject({
      encodingFormat: "application/x-zarr",
      contentSize: 0,
      digest: { "dandi:dandi-zarr-checksum": null },
      contentUrl: [
        `${ctx.config.DANDI_API_URL}/api/assets/${assetId}/download/`,
        storage.objectUrl(`zarr/${z.zarr_id}/`),
      ],
      access: [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }],
    });

    await uploadFiles(z.zarr_id, { ".zgroup": Buffer.from('{"zarr_format":2}'), "0/0": randomBytes(1000) });
    await ingest(z.zarr_id);
    const zarr = (await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(200)).body;
    const meta = (await request(ctx.app).get(`/api/assets/${assetId}/`).expect(200)).body;
    expect(meta.contentSize).toBe(zarr.size);
    expect(meta.digest).toEqual({ "dandi:dandi-zarr-checksum": zarr.checksum });
    const info = (await request(ctx.app).get(`/api/assets/${assetId}/info/`).expect(200)).body;
    expect(info).toMatchObject({ zarr: z.zarr_id, blob: null, size: zarr.size });
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).size).toBe(BigInt(zarr.size));

    // The draft's manifests carry the zarr asset's full metadata.
    await writeManifestFiles({ db: ctx.prisma, storage, config: ctx.config, versionId: draftId });
    const stream = await storage.getObjectStream(`dandisets/${identifier}/draft/assets.jsonld`);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const manifest = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>[];
    expect(manifest).toEqual([meta]);

    // zarr=true lists only zarr assets.
    const blobAsset = await ctx.prisma.assetBlob.create({
      data: {
        blobId: crypto.randomUUID(),
        key: `blobs/x/${randomBytes(6).toString("hex")}`,
        etag: `${randomBytes(16).toString("hex")}-1`,
        size: 7n,
      },
    });
    await request(ctx.app)
      .post(base)
      .set(auth(owner))
      .send({ metadata: { path: "file.txt" }, blob_id: blobAsset.blobId })
      .expect(200);
    let list = await request(ctx.app).get(`${base}?zarr=true`).expect(200);
    expect([list.body.count, list.body.results.map((a: { asset_id: string }) => a.asset_id)]).toEqual([1, [assetId]]);
    list = await request(ctx.app).get(base).expect(200);
    expect(list.body.count).toBe(2);

    // A zarr asset has no download link.
    let out = await request(ctx.app).get(`/api/assets/${assetId}/download/`).expect(400);
    expect(out.body).toBe(
      "Unable to provide download link for zarr assets. Please browse the zarr files directly to do so.",
    );
    await request(ctx.app).get(`${base}${assetId}/download/`).expect(400);

    // The file browser shows the zarr as a file with its size.
    out = await request(ctx.app)
      .get(`/api/dandisets/${identifier}/versions/draft/assets/paths/?path_prefix=data`)
      .expect(200);
    expect(out.body.results[0]).toMatchObject({
      path: "data/sample.zarr",
      aggregate_files: 1,
      aggregate_size: zarr.size,
      asset: { asset_id: assetId, url: storage.objectUrl(`zarr/${z.zarr_id}/`) },
    });

    // Stats count the zarr's bytes with the blobs'.
    const stats = await computeApplicationStats(ctx.prisma);
    const blobs = await ctx.prisma.$queryRaw<{ s: bigint }[]>`
      SELECT coalesce(sum(b.size), 0)::bigint AS s FROM asset_blobs b
      WHERE EXISTS (SELECT 1 FROM assets a JOIN version_assets va ON va.asset_id = a.id WHERE a.blob_id = b.id)`;
    const zarrs = await ctx.prisma.$queryRaw<{ s: bigint }[]>`
      SELECT coalesce(sum(z.size), 0)::bigint AS s FROM zarr_archives z
      WHERE EXISTS (SELECT 1 FROM assets a JOIN version_assets va ON va.asset_id = a.id WHERE a.zarr_id = z.id)`;
    expect(zarrs[0]!.s).toBeGreaterThanOrEqual(BigInt(zarr.size));
    expect(stats.size).toBe(blobs[0]!.s + zarrs[0]!.s);

    // Removing the asset takes the recorded (ingested) size off the draft.
    await request(ctx.app).delete(`${base}${assetId}/`).set(auth(owner)).expect(204);
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).size).toBe(7n);
  });

  it("PUT keeps an unchanged zarr asset, replaces a changed one; other dandisets' zarrs are refused", async () => {
    const { identifier } = await createDandiset(ctx.prisma, [owner.user.id]);
    const base = `/api/dandisets/${identifier}/versions/draft/assets/`;
    const z = await newZarr(identifier, "a.zarr");
    const created = (
      await request(ctx.app)
        .post(base)
        .set(auth(owner))
        .send({ metadata: { path: "a.zarr" }, zarr_id: z.zarr_id })
        .expect(200)
    ).body;
    let res = await request(ctx.app)
      .put(`${base}${created.asset_id}/`)
      .set(auth(owner))
      .send({ metadata: { path: "a.zarr" }, zarr_id: z.zarr_id })
      .expect(200);
    expect(res.body.asset_id).toBe(created.asset_id);
    res = await request(ctx.app)
      .put(`${base}${created.asset_id}/`)
      .set(auth(owner))
      .send({ metadata: { path: "a.zarr", description: "x" }, zarr_id: z.zarr_id })
      .expect(200);
    expect(res.body.asset_id).not.toBe(created.asset_id);
    expect(res.body.zarr).toBe(z.zarr_id);

    const elsewhere = await createDandiset(ctx.prisma, [owner.user.id]);
    const foreign = await newZarr(elsewhere.identifier, "b.zarr");
    res = await request(ctx.app)
      .post(base)
      .set(auth(owner))
      .send({ metadata: { path: "b.zarr" }, zarr_id: foreign.zarr_id });
    expect([res.status, res.body]).toEqual([400, "The zarr archive belongs to a different dandiset"]);
    res = await request(ctx.app)
      .post(base)
      .set(auth(owner))
      .send({ metadata: { path: "c.zarr" }, zarr_id: crypto.randomUUID() });
    expect([res.status, res.body]).toEqual([404, { detail: "Not found." }]);
    const audit = await ctx.prisma.auditRecord.findFirstOrThrow({
      where: { recordType: "add_asset", details: { path: ["asset_id"], equals: created.asset_id } },
    });
    expect(audit.details).toMatchObject({ zarr_archive_id: z.zarr_id, asset_blob_id: null, checksum: null });
  });

  it("deleting a dandiset deletes its zarr archives and their assets", async () => {
    const { identifier, dandiset } = await createDandiset(ctx.prisma, [owner.user.id]);
    const z = await newZarr(identifier, "gone.zarr");
    await request(ctx.app)
      .post(`/api/dandisets/${identifier}/versions/draft/assets/`)
      .set(auth(owner))
      .send({ metadata: { path: "gone.zarr" }, zarr_id: z.zarr_id })
      .expect(200);
    await request(ctx.app).delete(`/api/dandisets/${identifier}/`).set(auth(owner)).expect(204);
    expect(await ctx.prisma.zarrArchive.count({ where: { dandisetId: dandiset.id } })).toBe(0);
    expect(await ctx.prisma.asset.count({ where: { path: "gone.zarr" } })).toBe(0);
    await request(ctx.app).get(`/api/zarr/${z.zarr_id}/`).expect(404);
  });

  it("refuses to publish a dandiset with a zarr archive", async () => {
    const { identifier, draftId } = await createDandiset(ctx.prisma, [owner.user.id]);
    await ctx.prisma.version.update({ where: { id: draftId }, data: { status: "Valid" } });
    await newZarr(identifier);
    const res = await request(ctx.app).post(`/api/dandisets/${identifier}/versions/draft/publish/`).set(auth(owner));
    expect([res.status, res.body]).toEqual([400, "Cannot publish dandisets which contain zarrs"]);
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).status).toBe("Valid");
  });

  it("gates the top-level routes of an embargoed dandiset's zarr asset: 401 anonymous, 403 non-owner", async () => {
    const { identifier } = await createDandiset(ctx.prisma, [owner.user.id], "EMBARGOED");
    const z = await newZarr(identifier, "e.zarr");
    const asset = (
      await request(ctx.app)
        .post(`/api/dandisets/${identifier}/versions/draft/assets/`)
        .set(auth(owner))
        .send({ metadata: { path: "e.zarr" }, zarr_id: z.zarr_id })
        .expect(200)
    ).body;
    expect(asset.metadata.access[0].status).toBe("dandi:EmbargoedAccess");
    await request(ctx.app).get(`/api/assets/${asset.asset_id}/`).expect(401);
    await request(ctx.app).get(`/api/assets/${asset.asset_id}/`).set(auth(other)).expect(403);
    await request(ctx.app).get(`/api/assets/${asset.asset_id}/info/`).set(auth(owner)).expect(200);
  });
});
