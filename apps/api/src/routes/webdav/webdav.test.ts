import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import type { EmbargoStatus } from "@dandi/db";
import { createTestContext } from "../../../test/context";
import { seedDraftWithAssets } from "../assets/assets.fixtures";

const ctx = await createTestContext();
const { prisma } = ctx;

let owner: { token: string; user: { id: number } };
let other: { token: string };
let admin: { token: string };
const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });
const URL_ = "/api/webdav/assets/atpath/";

beforeAll(async () => {
  owner = await buildUser(prisma);
  other = await buildUser(prisma);
  admin = await buildUser(prisma, { isSuperuser: true });
});

/** A draft holding `paths`, added through the API so that asset_paths is maintained. */
const draftWith = (paths: string[], options: { embargoStatus?: EmbargoStatus; size?: number } = {}) =>
  seedDraftWithAssets(ctx.app, prisma, owner, paths, options);

type TQuery = Record<string, string | number | boolean>;
const atpath = (ds: { id: string }, query: TQuery = {}, headers: Record<string, string> = {}) =>
  request(ctx.app)
    .get(URL_)
    .query({ dandiset_id: ds.id, version_id: "draft", ...query })
    .set(headers);

const summarise = (body: { results: { type: string; resource: { path: string } }[] }) =>
  body.results.map((r) => `${r.type}:${r.resource.path}`);

describe("GET /api/webdav/assets/atpath/", () => {
  it("lists nothing at the root without children, and the root's direct children with them", async () => {
    const ds = await draftWith(["b.txt", "a.txt", "sub/c.txt"]);
    const bare = await atpath(ds).expect(200);
    expect(bare.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    expect((await atpath(ds, { children: false }).expect(200)).body.count).toBe(0);

    const res = await atpath(ds, { children: true }).expect(200);
    expect(res.body.count).toBe(3);
    expect(summarise(res.body)).toEqual(["asset:a.txt", "asset:b.txt", "folder:sub"]);
    const asset = res.body.results[0].resource;
    expect(Object.keys(asset).sort()).toEqual(["asset_id", "blob", "created", "modified", "path", "size", "zarr"]);
    expect(asset).toMatchObject({ asset_id: ds.assets["a.txt"], zarr: null, size: 10 });
    expect(asset.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(res.body.results[2].resource).toEqual({ path: "sub", total_assets: 1, total_size: 10 });
    // "/" is the root too (the trailing slash is stripped).
    expect(summarise((await atpath(ds, { children: true, path: "/" }).expect(200)).body)).toEqual(summarise(res.body));
  });

  it("returns the asset at a file path, children changing nothing, metadata on request", async () => {
    const ds = await draftWith(["foo.txt", "foo.txt.bak"]);
    const res = await atpath(ds, { path: "foo.txt" }).expect(200);
    expect(res.body.count).toBe(1);
    expect(res.body.results[0].type).toBe("asset");
    expect(res.body.results[0].resource.asset_id).toBe(ds.assets["foo.txt"]);
    expect(res.body.results[0].resource).not.toHaveProperty("metadata");
    expect((await atpath(ds, { path: "foo.txt", children: true }).expect(200)).body).toEqual(res.body);

    const withMd = await atpath(ds, { path: "foo.txt", metadata: "True" }).expect(200);
    const full = await request(ctx.app).get(`${ds.base}${ds.assets["foo.txt"]}/`).expect(200);
    expect(withMd.body.results[0].resource.metadata).toEqual(full.body);
    // The full metadata: path is filled in although it is never stored.
    expect(withMd.body.results[0].resource.metadata.path).toBe("foo.txt");
  });

  it("presents a zarr asset with its zarr id and no blob", async () => {
    const ds = await draftWith([]);
    const zarr = await request(ctx.app)
      .post("/api/zarr/")
      .set(auth(owner))
      .send({ name: "img.zarr", dandiset: ds.id })
      .expect(200);
    const asset = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "img.zarr" }, zarr_id: zarr.body.zarr_id })
      .expect(200);
    const res = await atpath(ds, { path: "img.zarr" }).expect(200);
    expect(res.body.results).toEqual([
      {
        type: "asset",
        resource: expect.objectContaining({ asset_id: asset.body.asset_id, zarr: zarr.body.zarr_id, blob: null }),
      },
    ]);
  });

  it("returns a folder with its aggregates, followed by its direct children when asked", async () => {
    const ds = await draftWith(["foo/bar.txt", "foo/baz.txt", "foo/deep/x.txt", "foo.txt", "fooz/y.txt"], {
      size: 7,
    });
    const res = await atpath(ds, { path: "foo" }).expect(200);
    expect(res.body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [{ type: "folder", resource: { path: "foo", total_assets: 3, total_size: 21 } }],
    });
    expect((await atpath(ds, { path: "foo/" }).expect(200)).body).toEqual(res.body);

    const withChildren = await atpath(ds, { path: "foo/", children: 1 }).expect(200);
    expect(withChildren.body.count).toBe(4);
    expect(summarise(withChildren.body)).toEqual([
      "folder:foo",
      "asset:foo/bar.txt",
      "asset:foo/baz.txt",
      "folder:foo/deep",
    ]);
    expect(withChildren.body.results[3].resource).toEqual({ path: "foo/deep", total_assets: 1, total_size: 7 });
    const nested = await atpath(ds, { path: "foo/deep", children: true, metadata: true }).expect(200);
    expect(summarise(nested.body)).toEqual(["folder:foo/deep", "asset:foo/deep/x.txt"]);
    expect(nested.body.results[0].resource).not.toHaveProperty("metadata");
    expect(nested.body.results[1].resource.metadata.path).toBe("foo/deep/x.txt");
  });

  it("paginates [folder, children...] with DANDI's page-number envelope", async () => {
    const ds = await draftWith(["d/c0.txt", "d/c1.txt", "d/c2.txt", "d/c3.txt", "d/c4.txt"]);
    const pages = [];
    for (const page of [1, 2, 3]) {
      pages.push((await atpath(ds, { path: "d", children: true, page_size: 2, page }).expect(200)).body);
    }
    expect(pages.map((p) => p.count)).toEqual([6, 6, 6]);
    expect(pages.flatMap((p) => summarise(p))).toEqual([
      "folder:d",
      "asset:d/c0.txt",
      "asset:d/c1.txt",
      "asset:d/c2.txt",
      "asset:d/c3.txt",
      "asset:d/c4.txt",
    ]);
    const next = new URL(pages[0].next);
    expect(next.pathname).toBe(URL_);
    expect(next.searchParams.get("page")).toBe("2");
    expect(next.searchParams.get("path")).toBe("d");
    expect(new URL(pages[1].previous).searchParams.has("page")).toBe(false);
    expect(pages[2].next).toBeNull();
    expect((await atpath(ds, { path: "d", children: true, page_size: 2, page: 4 }).expect(404)).body).toEqual({
      detail: "Invalid page.",
    });

    const root = await draftWith(["r0.txt", "r1.txt", "r2.txt"]);
    const rootPage2 = await atpath(root, { children: true, page_size: 2, page: 2 }).expect(200);
    expect(rootPage2.body.count).toBe(3);
    expect(summarise(rootPage2.body)).toEqual(["asset:r2.txt"]);
  });

  it("reads a published version's own tree", async () => {
    const ds = await draftWith(["kept.txt"]);
    const published = await prisma.version.create({
      data: { dandisetId: ds.dandiset.id, version: "0.230101.1234", name: "Test", metadata: {} },
    });
    // As a publish leaves it: the version's assets and a copy of the draft's tree.
    await prisma.$executeRaw`
      INSERT INTO version_assets (version_id, asset_id, path, created)
      SELECT ${published.id}, asset_id, path, created FROM version_assets WHERE version_id = ${ds.draft.id}`;
    await prisma.$executeRaw`
      INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
      SELECT ${published.id}, path, parent, asset_id, aggregate_files, aggregate_size FROM asset_paths
      WHERE version_id = ${ds.draft.id}`;
    // The draft moves on; the published tree does not.
    await request(ctx.app).delete(`${ds.base}${ds.assets["kept.txt"]}/`).set(auth(owner)).expect(204);
    expect((await atpath(ds, { children: true }).expect(200)).body.count).toBe(0);
    const res = await atpath(ds, { version_id: "0.230101.1234", path: "kept.txt" }).expect(200);
    expect(res.body.results[0].resource.asset_id).toBe(ds.assets["kept.txt"]);
  });

  it("answers DANDI's 404s for missing paths and files asked for as folders", async () => {
    const ds = await draftWith(["foo/bar.txt", "file"]);
    expect((await atpath(ds, { path: "foobartxt" }).expect(404)).body).toEqual({
      detail: "Folder or asset not found at foobartxt",
    });
    expect((await atpath(ds, { path: "foo/nope/", children: true }).expect(404)).body).toEqual({
      detail: "Folder or asset not found at foo/nope",
    });
    expect((await atpath(ds, { path: "file/" }).expect(404)).body).toEqual({ detail: "Folder not found at file" });
    // Paths are matched exactly (no case folding, no prefixes).
    await atpath(ds, { path: "FOO" }).expect(404);
    await atpath(ds, { path: "fo" }).expect(404);
  });

  it("404s an unknown dandiset or version and 400s malformed parameters", async () => {
    const ds = await draftWith(["a.txt"]);
    expect((await atpath({ id: "999999" }).expect(404)).body).toEqual({ detail: "Not found." });
    expect((await atpath(ds, { version_id: "typo" }).expect(404)).body).toEqual({ detail: "Not found." });
    expect((await atpath(ds, { version_id: "0.230101.1234" }).expect(404)).body).toEqual({ detail: "Not found." });
    await atpath({ id: "99999999999999" }).expect(404);
    // int() semantics: the id need not be zero-padded.
    const unpadded = await atpath({ id: String(Number(ds.id)) }, { children: true }).expect(200);
    expect(summarise(unpadded.body)).toEqual(["asset:a.txt"]);

    expect((await request(ctx.app).get(URL_).expect(400)).body).toEqual({
      dandiset_id: ["This field is required."],
      version_id: ["This field is required."],
    });
    expect((await atpath({ id: "DANDI:000001" }).expect(400)).body).toEqual({
      dandiset_id: ["A valid integer is required."],
    });
    expect((await atpath(ds, { path: "" }).expect(400)).body).toEqual({ path: ["This field may not be blank."] });
    expect((await atpath(ds, { version_id: " " }).expect(400)).body).toEqual({
      version_id: ["This field may not be blank."],
    });
    expect((await atpath(ds, { children: "maybe" }).expect(400)).body).toEqual({
      children: ["Must be a valid boolean."],
    });
    expect((await atpath(ds, { metadata: "2" }).expect(400)).body).toEqual({ metadata: ["Must be a valid boolean."] });
  });

  it("keeps embargoed and unembargoing dandisets to owners and admins (403 otherwise, anonymous included)", async () => {
    const ds = await draftWith(["secret.txt"], { embargoStatus: "EMBARGOED" });
    expect((await atpath(ds, { children: true }).expect(403)).body).toEqual({
      detail: "You do not have permission to perform this action.",
    });
    await atpath(ds, { children: true }, auth(other)).expect(403);
    await atpath(ds, { path: "secret.txt" }, auth(other)).expect(403);
    expect(summarise((await atpath(ds, { children: true }, auth(owner)).expect(200)).body)).toEqual([
      "asset:secret.txt",
    ]);
    await atpath(ds, { path: "secret.txt" }, auth(admin)).expect(200);
    // DANDI gates only EMBARGOED here; an UNEMBARGOING dandiset's data is still embargoed, so it stays private.
    await prisma.dandiset.update({ where: { id: ds.dandiset.id }, data: { embargoStatus: "UNEMBARGOING" } });
    await atpath(ds, { children: true }).expect(403);
    await atpath(ds, { path: "secret.txt", metadata: true }, auth(other)).expect(403);
    await atpath(ds, { path: "secret.txt" }, auth(owner)).expect(200);
    await atpath(ds, { children: true }, auth(admin)).expect(200);
  });

  it("redirects the slash-less URL with its query string, as APPEND_SLASH", async () => {
    const ds = await draftWith(["a.txt"]);
    const res = await request(ctx.app)
      .get(`/api/webdav/assets/atpath?dandiset_id=${ds.id}&version_id=draft`)
      .expect(301);
    expect(res.headers.location).toBe(`/api/webdav/assets/atpath/?dandiset_id=${ds.id}&version_id=draft`);
  });

  it("is in the OpenAPI document", async () => {
    const doc = await request(ctx.app).get("/api/openapi.json").expect(200);
    expect(Object.keys(doc.body.paths)).toContain("/api/webdav/assets/atpath/");
  });
});
