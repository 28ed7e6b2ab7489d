import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { seedBlob, seedDandiset, seedDraftWithAssets } from "./assets.fixtures";

const ctx = await createTestContext();
const { prisma } = ctx;

let owner: { token: string; user: { id: number } };
let other: { token: string };
let admin: { token: string };
const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });

beforeAll(async () => {
  owner = await buildUser(prisma);
  other = await buildUser(prisma);
  admin = await buildUser(prisma, { isSuperuser: true });
});

/** A draft holding `paths`, added in order through the API. */
const draftWith = (paths: string[], options: { embargoStatus?: "OPEN" | "EMBARGOED" } = {}) =>
  seedDraftWithAssets(ctx.app, prisma, owner, paths, options);

const listPaths = async (url: string) =>
  (await request(ctx.app).get(url).expect(200)).body.results.map((r: { path: string }) => r.path);

describe("GET .../assets/", () => {
  it("lists {asset_id, blob, zarr, path, size, created, modified}, metadata only on request", async () => {
    const ds = await draftWith(["a.txt"]);
    const res = await request(ctx.app).get(ds.base).expect(200);
    expect(res.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(Object.keys(res.body.results[0]).sort()).toEqual([
      "asset_id",
      "blob",
      "created",
      "modified",
      "path",
      "size",
      "zarr",
    ]);
    const withMd = await request(ctx.app).get(`${ds.base}?metadata=true`).expect(200);
    const full = await request(ctx.app).get(`${ds.base}${ds.assets["a.txt"]}/`).expect(200);
    expect(withMd.body.results[0].metadata).toEqual(full.body);
    expect((await request(ctx.app).get(`${ds.base}?zarr=true`).expect(200)).body).toEqual({
      count: 0,
      next: null,
      previous: null,
      results: [],
    });
    await request(ctx.app).get(`${ds.base}?order=size`).expect(400);
    await request(ctx.app).get(`/api/dandisets/999999/versions/draft/assets/`).expect(404);
  });

  it("filters by path prefix with DANDI's exact-match rule", async () => {
    const ds = await draftWith(["foo.txt", "bar.txt", "foo/bar.txt", "FOO/baz.txt"]);
    expect(await listPaths(`${ds.base}?path=foo.txt`)).toEqual(["foo.txt"]);
    expect((await listPaths(`${ds.base}?path=foo&order=path`)).sort()).toEqual(
      ["FOO/baz.txt", "foo.txt", "foo/bar.txt"].sort(),
    );
    expect((await listPaths(`${ds.base}?path=foo/&order=path`)).sort()).toEqual(["FOO/baz.txt", "foo/bar.txt"].sort());
    expect((await listPaths(`${ds.base}?path=foo&order=-modified`)).sort()).toEqual(
      ["FOO/baz.txt", "foo.txt", "foo/bar.txt"].sort(),
    );
    expect(await listPaths(`${ds.base}?path=foo&order=-created`)).toEqual(["FOO/baz.txt", "foo/bar.txt", "foo.txt"]);
    expect(await listPaths(`${ds.base}?path=txt`)).toEqual([]);
    expect(await listPaths(`${ds.base}?path=f%25`)).toEqual([]);
    expect((await request(ctx.app).get(`${ds.base}?path=foo/`)).body.count).toBe(2);
  });

  it("matches globs with * only, anchored and case-insensitive", async () => {
    const ds = await draftWith(["a/b.txt", "a/b/c.txt", "a/b/c/d.txt", "a/b/c/e.txt", "a/b/d/e.txt"]);
    const glob = async (g: string) =>
      (await listPaths(`${ds.base}?order=path&glob=${encodeURIComponent(g)}`)).join(",");
    expect(await glob("*.txt")).toBe("a/b.txt,a/b/c.txt,a/b/c/d.txt,a/b/c/e.txt,a/b/d/e.txt");
    expect(await glob("a/b/c/*")).toBe("a/b/c/d.txt,a/b/c/e.txt");
    expect(await glob("*b*e.txt")).toBe("a/b/c/e.txt,a/b/d/e.txt");
    expect(await glob(".*[a|b].txt")).toBe("");
    expect(await glob("a/b/c")).toBe("");
    expect(await glob("a/b/c*")).toBe("a/b/c.txt,a/b/c/d.txt,a/b/c/e.txt");
    expect(await glob("A/B/C*")).toBe("a/b/c.txt,a/b/c/d.txt,a/b/c/e.txt");
    expect(await glob("a_b*")).toBe("");
  });

  it("orders by created, modified and path, both ways", async () => {
    const ds = await draftWith(["c.txt", "a.txt", "b.txt"]);
    // Make modified disagree with created so that the two orders are told apart.
    await prisma.asset.update({ where: { assetId: ds.assets["c.txt"]! }, data: { modified: new Date("2030-01-01") } });
    expect(await listPaths(ds.base)).toEqual(["c.txt", "a.txt", "b.txt"]);
    expect(await listPaths(`${ds.base}?order=created`)).toEqual(["c.txt", "a.txt", "b.txt"]);
    expect(await listPaths(`${ds.base}?order=-created`)).toEqual(["b.txt", "a.txt", "c.txt"]);
    expect(await listPaths(`${ds.base}?order=modified`)).toEqual(["a.txt", "b.txt", "c.txt"]);
    expect(await listPaths(`${ds.base}?order=-modified`)).toEqual(["c.txt", "b.txt", "a.txt"]);
    expect(await listPaths(`${ds.base}?order=path`)).toEqual(["a.txt", "b.txt", "c.txt"]);
    expect(await listPaths(`${ds.base}?order=-path`)).toEqual(["c.txt", "b.txt", "a.txt"]);
  });

  it("paginates lazily: count on page 1 only, next = the request URL with page=2", async () => {
    const paths = Array.from({ length: 10 }, (_, i) => `f${i}.txt`);
    const ds = await draftWith(paths);
    const p1 = await request(ctx.app).get(`${ds.base}?page_size=5`).expect(200);
    expect(p1.body.count).toBe(10);
    expect(p1.body.next).toBe(
      `http://127.0.0.1${ds.base}?page=2&page_size=5`.replace("127.0.0.1", new URL(p1.body.next).host),
    );
    expect(new URL(p1.body.next).searchParams.get("page")).toBe("2");
    const p2 = await request(ctx.app).get(`${ds.base}?page_size=5&page=2`).expect(200);
    expect(p2.body).toMatchObject({ count: null, next: null });
    expect(p2.body.previous).not.toBeNull();
    expect([...p1.body.results, ...p2.body.results].map((r: { path: string }) => r.path)).toEqual(paths);
    const all = await request(ctx.app).get(`${ds.base}?page_size=100`).expect(200);
    expect(all.body).toMatchObject({ count: 10, next: null });
    await request(ctx.app).get(`${ds.base}?page_size=5&page=3`).expect(404);
    const filtered = await request(ctx.app).get(`${ds.base}?page_size=2&path=f1`).expect(200);
    expect(filtered.body.count).toBe(1);
  });
});

describe("asset detail routes", () => {
  it("serves full metadata, info and validation, nested and top-level", async () => {
    const ds = await draftWith(["x/y.nwb"]);
    const aid = ds.assets["x/y.nwb"]!;
    const full = (await request(ctx.app).get(`${ds.base}${aid}/`).expect(200)).body;
    expect(full).toMatchObject({ id: `dandiasset:${aid}`, path: "x/y.nwb", identifier: aid, contentSize: 10 });
    expect(full.digest["dandi:dandi-etag"]).toMatch(/-1$/);
    expect(full.contentUrl[1]).toMatch(/^http:\/\/api\.test\/storage\/objects\/blobs\//);
    expect((await request(ctx.app).get(`/api/assets/${aid}/`).expect(200)).body).toEqual(full);
    const info = (await request(ctx.app).get(`${ds.base}${aid}/info/`).expect(200)).body;
    expect(info).toMatchObject({ asset_id: aid, zarr: null, path: "x/y.nwb", size: 10, metadata: full });
    expect((await request(ctx.app).get(`/api/assets/${aid}/info/`).expect(200)).body).toEqual(info);
    expect((await request(ctx.app).get(`${ds.base}${aid}/validation/`).expect(200)).body).toEqual({
      status: "Pending",
      validation_errors: [],
    });
    await request(ctx.app).get(`${ds.base}3f1c2b4e-1234-4abc-8def-0123456789ab/`).expect(404);
    await request(ctx.app).get(`/api/assets/3f1c2b4e-1234-4abc-8def-0123456789ab/`).expect(404);
    await request(ctx.app).get(`/api/assets/not-a-uuid/`).expect(404);
    // An asset of another version is not found under this one.
    const other = await draftWith(["z.txt"]);
    await request(ctx.app).get(`${ds.base}${other.assets["z.txt"]}/`).expect(404);
  });

  it("gates nested routes of an embargoed dandiset: anonymous 401, non-owner 403, owner and admin 200", async () => {
    const ds = await draftWith(["s.txt"], { embargoStatus: "EMBARGOED" });
    const aid = ds.assets["s.txt"]!;
    for (const url of [
      ds.base,
      `${ds.base}${aid}/`,
      `${ds.base}${aid}/info/`,
      `${ds.base}paths/`,
      `${ds.base}${aid}/download/`,
    ]) {
      await request(ctx.app).get(url).expect(401);
      await request(ctx.app).get(url).set(auth(other)).expect(403);
      expect((await request(ctx.app).get(url).set(auth(owner))).status).toBeLessThan(400);
      expect((await request(ctx.app).get(url).set(auth(admin))).status).toBeLessThan(400);
    }
  });

  it("gates top-level routes on the blob's embargo flag", async () => {
    const ds = await draftWith(["s.txt"], { embargoStatus: "EMBARGOED" });
    const aid = ds.assets["s.txt"]!;
    const urls = ["", "info/", "download/", "downloads/"].map((tail) => `/api/assets/${aid}/${tail}`);
    for (const url of urls) {
      await request(ctx.app).get(url).expect(401);
      await request(ctx.app).get(url).set(auth(other)).expect(403);
      expect((await request(ctx.app).get(url).set(auth(owner))).status).toBeLessThan(400);
      expect((await request(ctx.app).get(url).set(auth(admin))).status).toBeLessThan(400);
    }
  });
});

describe("downloads", () => {
  it("counts an asset's downloads from its blob's access-log count", async () => {
    const ds = await draftWith(["counted.txt"]);
    const aid = ds.assets["counted.txt"]!;
    const count = async () => (await request(ctx.app).get(`/api/assets/${aid}/downloads/`).expect(200)).body;
    expect(await count()).toEqual({ download_count: 0 });
    const asset = await prisma.asset.findUniqueOrThrow({ where: { assetId: aid } });
    await prisma.assetBlob.update({ where: { id: asset.blobId! }, data: { downloadCount: 12n } });
    expect(await count()).toEqual({ download_count: 12 });
    await request(ctx.app).get(`/api/assets/00000000-0000-4000-8000-000000000000/downloads/`).expect(404);
  });

  it("redirects to a URL that serves the bytes with Content-Disposition and byte ranges", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const bytes = Buffer.from("hello, dandi archive!");
    const blob = await seedBlob(prisma, { bytes });
    await ctx.deps.storage.putObject(blob.key, bytes);
    const created = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "dir/hello.txt", encodingFormat: "text/plain" }, blob_id: blob.blobId })
      .expect(200);
    const aid = created.body.asset_id;
    for (const url of [`${ds.base}${aid}/download/`, `/api/assets/${aid}/download/`]) {
      const res = await request(ctx.app).get(url).expect(302);
      const loc = new URL(String(res.headers.location));
      const got = await request(ctx.app)
        .get(loc.pathname + loc.search)
        .expect(200);
      expect(Buffer.from(got.body ?? got.text)).toEqual(bytes);
      expect(got.headers["content-disposition"]).toBe('attachment; filename="hello.txt"');
      const ranged = await request(ctx.app)
        .get(loc.pathname + loc.search)
        .set("Range", "bytes=7-")
        .expect(206);
      expect(Buffer.from(ranged.body ?? ranged.text).toString()).toBe("dandi archive!");
      await request(ctx.app).head(url).expect(302);
    }
    const inline = await request(ctx.app).get(`/api/assets/${aid}/download/?content_disposition=inline`).expect(302);
    const loc = new URL(String(inline.headers.location));
    const got = await request(ctx.app)
      .get(loc.pathname + loc.search)
      .expect(200);
    expect(got.headers["content-disposition"]).toBe('inline; filename="hello.txt"');
    expect(got.headers["content-type"]).toMatch(/^text\/plain/);
    await request(ctx.app).get(`/api/assets/${aid}/download/?content_disposition=nope`).expect(400);
  });
});

describe("GET .../assets/paths/", () => {
  it("lists a folder's direct children with aggregates, paginated by path", async () => {
    const ds = await draftWith(["a/1.txt", "a/2.txt", "a/b/3.txt", "c.txt"]);
    const root = await request(ctx.app).get(`${ds.base}paths/`).expect(200);
    expect(root.body.count).toBe(2);
    expect(root.body.results).toEqual([
      { path: "a", version: ds.draft.id, aggregate_files: 3, aggregate_size: 30, asset: null },
      {
        path: "c.txt",
        version: ds.draft.id,
        aggregate_files: 1,
        aggregate_size: 10,
        asset: {
          asset_id: ds.assets["c.txt"],
          url: expect.stringMatching(/^http:\/\/api\.test\/storage\/objects\/blobs\//),
        },
      },
    ]);
    const a = await request(ctx.app).get(`${ds.base}paths/?path_prefix=a/&page_size=2`).expect(200);
    expect(a.body.count).toBe(3);
    expect(a.body.results.map((r: { path: string }) => r.path)).toEqual(["a/1.txt", "a/2.txt"]);
    expect(a.body.next).toContain("page=2");
    const a2 = await request(ctx.app).get(`${ds.base}paths/?path_prefix=a&page_size=2&page=2`).expect(200);
    expect(a2.body.results.map((r: { path: string; aggregate_files: number }) => [r.path, r.aggregate_files])).toEqual([
      ["a/b", 1],
    ]);
    const missing = await request(ctx.app).get(`${ds.base}paths/?path_prefix=nope`).expect(404);
    expect(missing.body).toEqual({ detail: "Specified path not found." });
    const empty = await seedDandiset(prisma, { ownerId: owner.user.id });
    expect((await request(ctx.app).get(`${empty.base}paths/`).expect(200)).body).toMatchObject({
      count: 0,
      results: [],
    });
  });
});
