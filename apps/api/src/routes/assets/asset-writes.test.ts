import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { seedBlob, seedDandiset } from "./assets.fixtures";

const ctx = await createTestContext();
const { prisma } = ctx;

let owner: { token: string; user: { id: number } };
let other: { token: string; user: { id: number } };
let admin: { token: string; user: { id: number } };

beforeAll(async () => {
  owner = await buildUser(prisma);
  other = await buildUser(prisma);
  admin = await buildUser(prisma, { isSuperuser: true });
});

const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });

async function tree(versionId: number) {
  const rows = await prisma.assetPath.findMany({ where: { versionId }, orderBy: { path: "asc" } });
  return Object.fromEntries(
    rows.map((r) => [
      r.path,
      [Number(r.aggregateFiles), Number(r.aggregateSize), r.parent] as [number, number, string],
    ]),
  );
}

async function counters(versionId: number) {
  const v = await prisma.version.findUniqueOrThrow({ where: { id: versionId } });
  return { count: Number(v.assetCount), size: Number(v.size), status: v.status, modified: v.modified };
}

describe("POST .../assets/", () => {
  it("creates the asset, its folder tree, the version counters and an audit record", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const blob = await seedBlob(prisma, { size: 123, sha256: "a".repeat(64) });
    const metadata = {
      path: "sub/dir/a.nwb",
      blobDateModified: "2024-01-01T00:00:00+00:00",
      encodingFormat: "x/y",
      digest: { x: 1 },
    };
    const res = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata, blob_id: blob.blobId })
      .expect(200);
    expect(res.body).toMatchObject({ blob: blob.blobId, zarr: null, path: "sub/dir/a.nwb", size: 123 });
    expect(res.body.asset_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.created).toMatch(/\.\d{6}Z$/);
    const md = res.body.metadata;
    expect(md).toMatchObject({
      blobDateModified: "2024-01-01T00:00:00+00:00",
      encodingFormat: "x/y",
      path: "sub/dir/a.nwb",
      schemaKey: "Asset",
      schemaVersion: ctx.deps.schemas.schemaVersion,
      id: `dandiasset:${res.body.asset_id}`,
      identifier: res.body.asset_id,
      contentSize: 123,
      digest: { "dandi:dandi-etag": blob.etag, "dandi:sha2-256": "a".repeat(64) },
      access: [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }],
    });
    expect(md.contentUrl[0]).toBe(`http://api.test/api/assets/${res.body.asset_id}/download/`);
    expect(md["@context"]).toContain(`/releases/${ctx.deps.schemas.schemaVersion}/context.json`);
    // The client's digest is a computed key: it is not stored.
    const stored = await prisma.asset.findUniqueOrThrow({ where: { assetId: res.body.asset_id } });
    expect(stored.metadata).not.toHaveProperty("digest");
    expect(stored.metadata).not.toHaveProperty("path");

    expect(await tree(ds.draft.id)).toEqual({
      sub: [1, 123, ""],
      "sub/dir": [1, 123, "sub"],
      "sub/dir/a.nwb": [1, 123, "sub/dir"],
    });
    const c = await counters(ds.draft.id);
    expect(c).toMatchObject({ count: 1, size: 123, status: "Pending" });
    expect(c.modified.getTime()).toBeGreaterThan(ds.draft.modified.getTime());
    const audit = await prisma.auditRecord.findMany({ where: { dandisetId: ds.dandiset.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      recordType: "add_asset",
      details: expect.objectContaining({ asset_id: res.body.asset_id, path: "sub/dir/a.nwb" }),
    });
  });

  it("validates paths as DANDI does", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const cases: [string, number][] = [
      ["foo.txt", 200],
      ["/foo", 400],
      ["", 400],
      ["/", 400],
      ["./foo", 400],
      ["../foo", 400],
      ["foo/.", 400],
      ["foo/..", 400],
      ["foo/./bar", 400],
      ["foo/../bar", 400],
      ["foo//bar", 400],
      ["foo\0bar", 400],
      ["foo/.bar", 200],
      [`${"a".repeat(600)}`, 400],
      [`${"a".repeat(5000)}//`, 400],
    ];
    for (const [path, status] of cases) {
      const blob = await seedBlob(prisma);
      const res = await request(ctx.app)
        .post(ds.base)
        .set(auth(owner))
        .send({ metadata: { path }, blob_id: blob.blobId });
      expect([path.slice(0, 20), res.status]).toEqual([path.slice(0, 20), status]);
    }
    const res = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "/x" }, blob_id: (await seedBlob(prisma)).blobId });
    expect(res.body).toBe("Path must not begin with /");
    const res2 = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "a//b" }, blob_id: (await seedBlob(prisma)).blobId });
    expect(res2.body).toBe("Path improperly formatted");
  });

  it("answers DANDI's errors and leaves nothing half-written", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id, published: true });
    const blob = await seedBlob(prisma, { size: 10 });
    await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "a/b.txt" }, blob_id: blob.blobId })
      .expect(200);
    const before = {
      assets: await prisma.asset.count(),
      tree: await tree(ds.draft.id),
      counters: await counters(ds.draft.id),
    };

    const post = (body: object, who = owner, base = ds.base) => request(ctx.app).post(base).set(auth(who)).send(body);
    let res = await post({ metadata: { path: "x" } });
    expect([res.status, res.body]).toEqual([
      400,
      { blob_id: ["Exactly one of blob_id or zarr_id must be specified."] },
    ]);
    res = await post({ metadata: { path: "x" }, blob_id: blob.blobId, zarr_id: blob.blobId });
    expect([res.status, res.body]).toEqual([
      400,
      { blob_id: ["Exactly one of blob_id or zarr_id must be specified."] },
    ]);
    res = await post({ metadata: { path: "x" }, zarr_id: blob.blobId });
    expect([res.status, res.body]).toEqual([404, { detail: "Not found." }]);
    res = await post({ metadata: { name: "x" }, blob_id: blob.blobId });
    expect([res.status, res.body]).toEqual([400, { metadata: ["No path specified in metadata."] }]);
    res = await post({ metadata: { path: "x" }, blob_id: "3f1c2b4e-1234-4abc-8def-0123456789ab" });
    expect([res.status, res.body]).toEqual([404, { detail: "Not found." }]);
    res = await post({ metadata: { path: "a/b.txt" }, blob_id: blob.blobId });
    expect([res.status, res.body]).toEqual([409, "An asset with that path already exists"]);
    res = await post({ metadata: { path: "a" }, blob_id: blob.blobId });
    expect([res.status, res.body]).toEqual([409, `Path of new asset "a" conflicts with existing assets: ['a/b.txt']`]);
    res = await post({ metadata: { path: "a/b.txt/c" }, blob_id: blob.blobId });
    expect([res.status, res.body]).toEqual([
      409,
      `Path of new asset "a/b.txt/c" conflicts with existing assets: ['a/b.txt']`,
    ]);
    res = await post({ metadata: { path: "y" }, blob_id: blob.blobId }, other);
    expect([res.status, res.body]).toEqual([403, { detail: "You do not have permission to perform this action." }]);
    res = await request(ctx.app)
      .post(ds.base)
      .send({ metadata: { path: "y" }, blob_id: blob.blobId });
    expect(res.status).toBe(401);
    res = await post(
      { metadata: { path: "y" }, blob_id: blob.blobId },
      owner,
      `/api/dandisets/${ds.id}/versions/0.230101.1234/assets/`,
    );
    expect([res.status, res.body]).toEqual([405, "Only draft versions can be modified."]);
    res = await post(
      { metadata: { path: "y" }, blob_id: blob.blobId },
      owner,
      `/api/dandisets/999999/versions/draft/assets/`,
    );
    expect(res.status).toBe(404);

    expect({
      assets: await prisma.asset.count(),
      tree: await tree(ds.draft.id),
      counters: await counters(ds.draft.id),
    }).toEqual(before);
  });

  it("lets admins write, refuses writes while unembargoing, and un-embargoes blobs added to OPEN dandisets", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const blob = await seedBlob(prisma, { embargoed: true, bytes: Buffer.from("secret") });
    await ctx.deps.storage.putObject(blob.key, Buffer.from("secret"), { embargoed: true });
    const unsigned = new URL(ctx.deps.storage.objectUrl(blob.key));
    expect((await request(ctx.app).get(unsigned.pathname)).status).toBeGreaterThanOrEqual(400);
    await request(ctx.app)
      .post(ds.base)
      .set(auth(admin))
      .send({ metadata: { path: "e.txt" }, blob_id: blob.blobId })
      .expect(200);
    expect((await prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).embargoed).toBe(false);
    // The storage tag went with the flag: the unsigned URL now serves the object.
    expect((await request(ctx.app).get(unsigned.pathname).expect(200)).text ?? "").toBeDefined();

    const emb = await seedDandiset(prisma, { ownerId: owner.user.id, embargoStatus: "EMBARGOED" });
    const eblob = await seedBlob(prisma, { embargoed: true });
    const res = await request(ctx.app)
      .post(emb.base)
      .set(auth(owner))
      .send({ metadata: { path: "e.txt" }, blob_id: eblob.blobId })
      .expect(200);
    expect(res.body.metadata.access[0].status).toBe("dandi:EmbargoedAccess");
    expect((await prisma.assetBlob.findUniqueOrThrow({ where: { id: eblob.id } })).embargoed).toBe(true);

    const unemb = await seedDandiset(prisma, { ownerId: owner.user.id, embargoStatus: "UNEMBARGOING" });
    const r = await request(ctx.app)
      .post(unemb.base)
      .set(auth(owner))
      .send({ metadata: { path: "e.txt" }, blob_id: eblob.blobId });
    expect([r.status, r.body]).toEqual([400, "Dandiset modification not allowed during unembargo"]);
  });
});

describe("PUT and DELETE .../assets/{id}/", () => {
  it("keeps the asset when nothing changed, else replaces it with a new asset_id", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const b1 = await seedBlob(prisma, { size: 10 });
    const b2 = await seedBlob(prisma, { size: 25 });
    const created = await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "a/x.txt", k: { z: 1, a: 2 } }, blob_id: b1.blobId })
      .expect(200);
    const aid = created.body.asset_id;
    const same = await request(ctx.app)
      .put(`${ds.base}${aid}/`)
      .set(auth(owner))
      .send({ metadata: { k: { a: 2, z: 1 }, path: "a/x.txt", id: "ignored" }, blob_id: b1.blobId })
      .expect(200);
    expect(same.body.asset_id).toBe(aid);

    const moved = await request(ctx.app)
      .put(`${ds.base}${aid}/`)
      .set(auth(owner))
      .send({ metadata: { path: "b/y.txt" }, blob_id: b2.blobId })
      .expect(200);
    expect(moved.body.asset_id).not.toBe(aid);
    expect(moved.body).toMatchObject({ path: "b/y.txt", size: 25, blob: b2.blobId });
    expect(await tree(ds.draft.id)).toEqual({ b: [1, 25, ""], "b/y.txt": [1, 25, "b"] });
    expect(await counters(ds.draft.id)).toMatchObject({ count: 1, size: 25 });
    await request(ctx.app).get(`${ds.base}${aid}/`).expect(404);
    // The old asset row is kept (published versions may share assets).
    expect(await prisma.asset.count({ where: { assetId: aid } })).toBe(1);
    const types = (
      await prisma.auditRecord.findMany({ where: { dandisetId: ds.dandiset.id }, orderBy: { id: "asc" } })
    ).map((a) => a.recordType);
    expect(types).toEqual(["add_asset", "update_asset"]);
  });

  it("refuses a PUT onto another asset's path and leaves both intact", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const b1 = await seedBlob(prisma, { size: 1 });
    const b2 = await seedBlob(prisma, { size: 2 });
    const a1 = (
      await request(ctx.app)
        .post(ds.base)
        .set(auth(owner))
        .send({ metadata: { path: "one" }, blob_id: b1.blobId })
    ).body;
    await request(ctx.app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "two" }, blob_id: b2.blobId })
      .expect(200);
    const before = await tree(ds.draft.id);
    const res = await request(ctx.app)
      .put(`${ds.base}${a1.asset_id}/`)
      .set(auth(owner))
      .send({ metadata: { path: "two" }, blob_id: b1.blobId });
    expect([res.status, res.body]).toEqual([409, "An asset with that path already exists"]);
    expect(await tree(ds.draft.id)).toEqual(before);
    expect(await counters(ds.draft.id)).toMatchObject({ count: 2, size: 3 });
    await request(ctx.app)
      .put(`${ds.base}${a1.asset_id}/`)
      .set(auth(other))
      .send({ metadata: { path: "z" }, blob_id: b1.blobId })
      .expect(403);
  });

  it("DELETE unlinks the asset, prunes empty folders and keeps the counters exact", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const ids: string[] = [];
    for (const [path, size] of [
      ["d/e/f.txt", 5],
      ["d/g.txt", 7],
      ["h.txt", 11],
    ] as const) {
      const blob = await seedBlob(prisma, { size });
      ids.push(
        (await request(ctx.app).post(ds.base).set(auth(owner)).send({ metadata: { path }, blob_id: blob.blobId })).body
          .asset_id,
      );
    }
    expect(await tree(ds.draft.id)).toEqual({
      d: [2, 12, ""],
      "d/e": [1, 5, "d"],
      "d/e/f.txt": [1, 5, "d/e"],
      "d/g.txt": [1, 7, "d"],
      "h.txt": [1, 11, ""],
    });
    await request(ctx.app).delete(`${ds.base}${ids[0]}/`).set(auth(other)).expect(403);
    await request(ctx.app).delete(`${ds.base}${ids[0]}/`).expect(401);
    await request(ctx.app).delete(`${ds.base}${ids[0]}/`).set(auth(owner)).expect(204);
    await request(ctx.app).delete(`${ds.base}${ids[0]}/`).set(auth(owner)).expect(404);
    expect(await tree(ds.draft.id)).toEqual({ d: [1, 7, ""], "d/g.txt": [1, 7, "d"], "h.txt": [1, 11, ""] });
    expect(await counters(ds.draft.id)).toMatchObject({ count: 2, size: 18, status: "Pending" });
    await request(ctx.app).delete(`${ds.base}${ids[1]}/`).set(auth(owner)).expect(204);
    await request(ctx.app).delete(`${ds.base}${ids[2]}/`).set(auth(owner)).expect(204);
    expect(await tree(ds.draft.id)).toEqual({});
    expect(await counters(ds.draft.id)).toMatchObject({ count: 0, size: 0 });
    expect(await prisma.asset.count({ where: { assetId: { in: ids } } })).toBe(3);
  });

  it("keeps the counters exact under concurrent writes to one draft", async () => {
    const ds = await seedDandiset(prisma, { ownerId: owner.user.id });
    const blobs = await Promise.all(Array.from({ length: 12 }, (_, i) => seedBlob(prisma, { size: i + 1 })));
    const results = await Promise.all(
      blobs.map((b, i) =>
        request(ctx.app)
          .post(ds.base)
          .set(auth(owner))
          .send({ metadata: { path: `c/${i % 3}/f${i}.txt` }, blob_id: b.blobId }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await counters(ds.draft.id)).toMatchObject({ count: 12, size: 78 });
    const t = await tree(ds.draft.id);
    expect(t.c).toEqual([12, 78, ""]);
    expect(t["c/0"]![0] + t["c/1"]![0] + t["c/2"]![0]).toBe(12);
  });
});
