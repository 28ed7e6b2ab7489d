import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { seedDandiset, seedDraftWithAssets } from "../assets/assets.fixtures";
import { treeProblems } from "./asset-paths.fixtures";

const ctx = await createTestContext();
const { prisma, app } = ctx;

let owner: { token: string; user: { id: number; username: string } };
let other: { token: string; user: { id: number } };

beforeAll(async () => {
  owner = await buildUser(prisma);
  other = await buildUser(prisma);
});

const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });

const PATHS = ["sub-01/a.nwb", "sub-01/ses-1/b.nwb", "sub-01/ses-1/c.nwb", "sub-02/d.nwb", "top.txt"];

async function draftPaths(versionId: number) {
  const rows = await prisma.versionAsset.findMany({ where: { versionId }, orderBy: { path: "asc" } });
  return rows.map((r) => r.path);
}

async function outboxNames() {
  const rows = await prisma.jobOutbox.findMany({ select: { name: true } });
  return rows.map((r) => r.name);
}

describe("POST .../assets/paths/move/", () => {
  it("renames a file: a new asset on the same blob replaces it, the old asset stays, audited", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS, { size: 7 });
    const oldId = ds.assets["sub-01/a.nwb"]!;
    const old = await prisma.asset.findUniqueOrThrow({ where: { assetId: oldId } });
    await prisma.asset.update({ where: { id: old.id }, data: { metadata: { schemaVersion: "0.7.0", keep: "me" } } });
    const res = await request(app)
      .post(`${ds.base}paths/move/`)
      .set(auth(owner))
      .send({ source: "sub-01/a.nwb", destination: "sub-01/renamed.nwb" })
      .expect(200);
    expect(res.body).toEqual({ count: 1, size: 7 });
    expect(await draftPaths(ds.draft.id)).toEqual([
      "sub-01/renamed.nwb",
      "sub-01/ses-1/b.nwb",
      "sub-01/ses-1/c.nwb",
      "sub-02/d.nwb",
      "top.txt",
    ]);
    const info = await request(app).get(`${ds.base}?path=sub-01/renamed.nwb&metadata=true`).expect(200);
    const moved = info.body.results[0];
    expect(moved.asset_id).not.toBe(oldId);
    expect(moved.blob).toBe(
      old.blobId === null ? null : (await prisma.assetBlob.findUniqueOrThrow({ where: { id: old.blobId } })).blobId,
    );
    expect(moved.metadata).toMatchObject({ keep: "me", path: "sub-01/renamed.nwb" });
    // Immutable: the old asset row is kept (a published version may list it), only unlinked.
    expect(await prisma.asset.findUnique({ where: { assetId: oldId } })).not.toBeNull();
    const fresh = await prisma.asset.findUniqueOrThrow({ where: { assetId: moved.asset_id } });
    expect(fresh.status).toBe("Pending");
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);

    const audit = await prisma.auditRecord.findMany({
      where: { dandisetId: ds.dandiset.id, recordType: "update_asset" },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ username: owner.user.username });
    expect(audit[0]!.details).toMatchObject({
      path: "sub-01/renamed.nwb",
      asset_id: moved.asset_id,
      previous_asset_id: oldId,
      metadata: { keep: "me" },
    });
    const v = await prisma.version.findUniqueOrThrow({ where: { id: ds.draft.id } });
    expect(v.status).toBe("Pending");
    expect(v.modified.getTime()).toBeGreaterThan(new Date("2021-01-01").getTime());
  });

  it("moves a folder with everything below it into a new folder, in one transaction", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS, { size: 5 });
    const before = await prisma.auditRecord.count({ where: { dandisetId: ds.dandiset.id } });
    const res = await request(app)
      .post(`${ds.base}paths/move/`)
      .set(auth(owner))
      .send({ source: "sub-01", destination: "archive/2024/subject-01" })
      .expect(200);
    expect(res.body).toEqual({ count: 3, size: 15 });
    expect(await draftPaths(ds.draft.id)).toEqual([
      "archive/2024/subject-01/a.nwb",
      "archive/2024/subject-01/ses-1/b.nwb",
      "archive/2024/subject-01/ses-1/c.nwb",
      "sub-02/d.nwb",
      "top.txt",
    ]);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    expect(await prisma.auditRecord.count({ where: { dandisetId: ds.dandiset.id } })).toBe(before + 3);
    // The folder listing the web app reads shows the new folder with its aggregates.
    const listing = await request(app).get(`${ds.base}paths/?path_prefix=archive/2024`).expect(200);
    expect(listing.body.results).toMatchObject([
      { path: "archive/2024/subject-01", aggregate_files: 3, aggregate_size: 15 },
    ]);
    // The paths listing of the old folder is gone.
    await request(app).get(`${ds.base}paths/?path_prefix=sub-01`).expect(404);
    // The draft's validation and assetsSummary were queued: through the outbox, drained after the commit.
    expect(await outboxNames()).toEqual([]);
    const queue = ctx.deps.jobs.queue("default");
    expect(await queue.getJob(`validate-version-${ds.draft.id}`)).toMatchObject({ name: "validateVersion" });
    expect(await queue.getJob(`assets-summary-${ds.draft.id}`)).toMatchObject({ name: "aggregateAssetsSummary" });
  });

  it("moves a folder into a sibling folder and back; the tree stays exact each time", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS, { size: 3 });
    await request(app)
      .post(`${ds.base}paths/move/`)
      .set(auth(owner))
      .send({ source: "sub-01/ses-1", destination: "sub-02/ses-1" })
      .expect(200);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    await request(app)
      .post(`${ds.base}paths/move/`)
      .set(auth(owner))
      .send({ source: "sub-02", destination: "sub-01/sub-02/" })
      .expect(200);
    expect(await draftPaths(ds.draft.id)).toEqual([
      "sub-01/a.nwb",
      "sub-01/sub-02/d.nwb",
      "sub-01/sub-02/ses-1/b.nwb",
      "sub-01/sub-02/ses-1/c.nwb",
      "top.txt",
    ]);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    // An asset added afterwards lands in the right chunk and folder.
    const blob = await prisma.assetBlob.findFirstOrThrow();
    await request(app)
      .post(ds.base)
      .set(auth(owner))
      .send({ metadata: { path: "sub-01/sub-02/e.nwb" }, blob_id: blob.blobId })
      .expect(200);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
  });

  it("refuses clearly, and changes nothing, when the target exists or is impossible", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS);
    const move = (source: string, destination: string) =>
      request(app).post(`${ds.base}paths/move/`).set(auth(owner)).send({ source, destination });
    const cases: [string, string, number, unknown][] = [
      ["sub-01/a.nwb", "sub-02/d.nwb", 409, { detail: "A file or folder already exists at sub-02/d.nwb" }],
      ["sub-01", "sub-02", 409, { detail: "A file or folder already exists at sub-02" }],
      ["sub-02/d.nwb", "sub-01/ses-1", 409, { detail: "A file or folder already exists at sub-01/ses-1" }],
      ["sub-02", "top.txt/sub-02", 409, { detail: "Cannot create the folder top.txt: a file exists at that path" }],
      ["sub-01", "sub-01/ses-2", 400, { detail: 'Cannot move "sub-01" into itself.' }],
      ["sub-01", "sub-01", 400, { detail: "The destination is the same as the source." }],
      ["nope", "x", 404, { detail: "No file or folder at nope" }],
      ["sub-01", "/abs", 400, "Path must not begin with /"],
      ["sub-01", "a/../b", 400, "Path improperly formatted"],
      ["sub-01", `${"x".repeat(505)}/y`, 400, { destination: [expect.stringContaining("at most 512")] }],
    ];
    for (const [source, destination, status, body] of cases) {
      const res = await move(source, destination);
      expect([source, destination, res.status, res.body]).toEqual([source, destination, status, body]);
    }
    const missing = await request(app).post(`${ds.base}paths/move/`).set(auth(owner)).send({ source: "sub-01" });
    expect([missing.status, missing.body]).toEqual([400, { destination: ["This field is required."] }]);
    expect(await draftPaths(ds.draft.id)).toEqual(PATHS);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    expect(await prisma.auditRecord.count({ where: { dandisetId: ds.dandiset.id, recordType: "update_asset" } })).toBe(
      0,
    );
  });

  it("is for owners of a draft: 403 for others, 401 anonymous, 405 on a published version", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS);
    const body = { source: "sub-01", destination: "x" };
    await request(app).post(`${ds.base}paths/move/`).set(auth(other)).send(body).expect(403);
    await request(app).post(`${ds.base}paths/move/`).send(body).expect(401);
    const pub = await seedDandiset(prisma, { ownerId: owner.user.id, published: true });
    const res = await request(app)
      .post(`/api/dandisets/${pub.id}/versions/0.230101.1234/assets/paths/move/`)
      .set(auth(owner))
      .send(body)
      .expect(405);
    expect(res.body).toBe("Only draft versions can be modified.");
    expect(await draftPaths(ds.draft.id)).toEqual(PATHS);
  });
});

describe("POST .../assets/paths/delete/", () => {
  it("deletes a folder with every file below it: tree, counters, chunks, one audit record per file", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS, { size: 4 });
    const res = await request(app)
      .post(`${ds.base}paths/delete/`)
      .set(auth(owner))
      .send({ path: "sub-01/" })
      .expect(200);
    expect(res.body).toEqual({ count: 3, size: 12 });
    expect(await draftPaths(ds.draft.id)).toEqual(["sub-02/d.nwb", "top.txt"]);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    const removed = await prisma.auditRecord.findMany({
      where: { dandisetId: ds.dandiset.id, recordType: "remove_asset" },
      orderBy: { id: "asc" },
    });
    expect(removed.map((r) => r.details)).toEqual([
      { path: "sub-01/a.nwb", asset_id: ds.assets["sub-01/a.nwb"] },
      { path: "sub-01/ses-1/b.nwb", asset_id: ds.assets["sub-01/ses-1/b.nwb"] },
      { path: "sub-01/ses-1/c.nwb", asset_id: ds.assets["sub-01/ses-1/c.nwb"] },
    ]);
    // A file on its own; then the last file of a folder takes the folder with it.
    await request(app).post(`${ds.base}paths/delete/`).set(auth(owner)).send({ path: "sub-02/d.nwb" }).expect(200);
    expect(await prisma.assetPath.findMany({ where: { versionId: ds.draft.id } })).toHaveLength(1);
    expect(await treeProblems(prisma, ds.draft.id)).toEqual([]);
    const v = await prisma.version.findUniqueOrThrow({ where: { id: ds.draft.id } });
    expect([Number(v.assetCount), Number(v.size), v.status]).toEqual([1, 4, "Pending"]);
  });

  it("404s on a missing path, 403s for others, 405s on a published version", async () => {
    const ds = await seedDraftWithAssets(app, prisma, owner, PATHS);
    const res = await request(app).post(`${ds.base}paths/delete/`).set(auth(owner)).send({ path: "sub-03" });
    expect([res.status, res.body]).toEqual([404, { detail: "No file or folder at sub-03" }]);
    await request(app).post(`${ds.base}paths/delete/`).set(auth(other)).send({ path: "sub-01" }).expect(403);
    const blank = await request(app).post(`${ds.base}paths/delete/`).set(auth(owner)).send({ path: "/" });
    expect([blank.status, blank.body]).toEqual([400, { path: ["This field may not be blank."] }]);
    const pub = await seedDandiset(prisma, { ownerId: owner.user.id, published: true });
    await request(app)
      .post(`/api/dandisets/${pub.id}/versions/0.230101.1234/assets/paths/delete/`)
      .set(auth(owner))
      .send({ path: "sub-01" })
      .expect(405);
    expect(await draftPaths(ds.draft.id)).toEqual(PATHS);
  });
});
