import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { adjustAssetChunk, rebuildAssetChunks } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { seedBlob, seedDandiset } from "./assets.fixtures";

const ctx = await createTestContext();
const { prisma } = ctx;
const N = 10_500;

let owner: { token: string; user: { id: number } };
let ds: Awaited<ReturnType<typeof seedDandiset>>;

/** Links `count` assets to a version in bulk, as publish or a seed would: no chunk upkeep. */
async function bulkLink(versionId: number, count: number, from: number) {
  await prisma.$executeRaw`
    WITH s AS (
      SELECT n, gen_random_uuid() AS u, timestamptz '2024-01-01' + (n / 3) * interval '1 second' AS created
      FROM generate_series(${from}::int, ${from + count - 1}::int) n
    ), b AS (
      INSERT INTO asset_blobs (blob_id, key, etag, size)
      SELECT u, 'blobs/' || u, md5(u::text) || '-1', 10 FROM s RETURNING id, blob_id
    ), a AS (
      INSERT INTO assets (asset_id, path, blob_id, metadata, created, modified)
      SELECT gen_random_uuid(), 'bulk/f' || s.n, b.id, '{"schemaVersion":"0.7.0"}', s.created, s.created
      FROM s JOIN b ON b.blob_id = s.u RETURNING id, path, created
    )
    INSERT INTO version_assets (version_id, asset_id, path, created) SELECT ${versionId}, id, path, created FROM a`;
  await prisma.$executeRaw`
    UPDATE versions SET asset_count = (SELECT count(*) FROM version_assets WHERE version_id = ${versionId}),
      size = (SELECT count(*) * 10 FROM version_assets WHERE version_id = ${versionId}) WHERE id = ${versionId}`;
}

async function chunkState(versionId: number) {
  const rows = await prisma.versionAssetChunk.findMany({
    where: { versionId },
    orderBy: [{ firstCreated: "asc" }, { firstAssetId: "asc" }],
  });
  return { chunks: rows.length, sum: rows.reduce((s, r) => s + r.count, 0), counts: rows.map((r) => r.count) };
}

/** The page as plain OFFSET over version_assets would give it: the reference. */
async function expectedPage(versionId: number, desc: boolean, offset: number, limit: number) {
  const rows = desc
    ? await prisma.$queryRaw<{ id: string }[]>`
        SELECT a.asset_id::text AS id FROM version_assets va JOIN assets a ON a.id = va.asset_id
        WHERE va.version_id = ${versionId} ORDER BY va.created DESC, va.asset_id DESC OFFSET ${offset} LIMIT ${limit}`
    : await prisma.$queryRaw<{ id: string }[]>`
        SELECT a.asset_id::text AS id FROM version_assets va JOIN assets a ON a.id = va.asset_id
        WHERE va.version_id = ${versionId} ORDER BY va.created, va.asset_id OFFSET ${offset} LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  owner = await buildUser(prisma);
  ds = await seedDandiset(prisma, { ownerId: owner.user.id });
  await bulkLink(ds.draft.id, N, 0);
}, 60_000);

describe("deep pages of large asset lists", () => {
  it("rebuilds the chunk index in the background once it is out of step with asset_count", async () => {
    expect(await chunkState(ds.draft.id)).toMatchObject({ chunks: 0 });
    // Deep pages are right before the index exists (plain OFFSET) ...
    const before = await request(ctx.app).get(`${ds.base}?page_size=1000&page=7`).expect(200);
    expect(before.body.results.map((r: { asset_id: string }) => r.asset_id)).toEqual(
      await expectedPage(ds.draft.id, false, 6000, 1000),
    );
    // ... and page 1 of a large version starts the rebuild.
    const first = await request(ctx.app).get(`${ds.base}?page_size=10`).expect(200);
    expect(first.body.count).toBe(N);
    for (let i = 0; i < 100 && (await chunkState(ds.draft.id)).sum !== N; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await chunkState(ds.draft.id)).toMatchObject({ chunks: 11, sum: N });
  });

  it("serves deep pages through the chunks exactly as OFFSET would, both directions, through adds and deletes", async () => {
    await rebuildAssetChunks(prisma, ds.draft.id);
    const check = async () => {
      for (const [order, desc] of [
        ["created", false],
        ["-created", true],
      ] as const) {
        for (const page of [6, 9, 11]) {
          const res = await request(ctx.app).get(`${ds.base}?page_size=1000&page=${page}&order=${order}`);
          if (page === 11 && res.status === 404) continue;
          expect(res.status).toBe(200);
          const got = res.body.results.map((r: { asset_id: string }) => r.asset_id);
          expect([order, page, got]).toEqual([
            order,
            page,
            await expectedPage(ds.draft.id, desc, (page - 1) * 1000, 1000),
          ]);
        }
      }
    };
    await check();
    // Writes through the API keep the chunks in step.
    const blob = await seedBlob(prisma, { size: 10 });
    const added = await request(ctx.app)
      .post(ds.base)
      .set({ Authorization: `token ${owner.token}` })
      .send({ metadata: { path: "new.txt" }, blob_id: blob.blobId })
      .expect(200);
    const victims = await prisma.$queryRaw<{ id: string }[]>`
      SELECT a.asset_id::text AS id FROM version_assets va JOIN assets a ON a.id = va.asset_id
      WHERE va.version_id = ${ds.draft.id} ORDER BY va.created, va.asset_id OFFSET 5500 LIMIT 3`;
    for (const v of victims) {
      await request(ctx.app)
        .delete(`${ds.base}${v.id}/`)
        .set({ Authorization: `token ${owner.token}` })
        .expect(204);
    }
    expect((await chunkState(ds.draft.id)).sum).toBe(N + 1 - 3);
    await check();
    const last = await request(ctx.app).get(`${ds.base}?page_size=1000&page=1&order=-created`).expect(200);
    expect(last.body.results[0].asset_id).toBe(added.body.asset_id);
  });

  it("splits a chunk that grows past twice the chunk size", async () => {
    const small = await seedDandiset(prisma, { ownerId: owner.user.id });
    await bulkLink(small.draft.id, 2000, 100_000);
    await rebuildAssetChunks(prisma, small.draft.id);
    expect((await chunkState(small.draft.id)).counts).toEqual([1000, 1000]);
    await bulkLink(small.draft.id, 1001, 200_000);
    const added = await prisma.$queryRaw<{ asset_id: bigint }[]>`
      SELECT asset_id FROM version_assets WHERE version_id = ${small.draft.id} ORDER BY created, asset_id OFFSET 2000`;
    await prisma.$transaction(
      async (tx) => {
        for (const row of added) await adjustAssetChunk(tx, small.draft.id, row.asset_id, 1);
      },
      { timeout: 60_000 },
    );
    expect((await chunkState(small.draft.id)).counts).toEqual([1000, 1000, 1001]);
    const res = await request(ctx.app).get(`${small.base}?page_size=1000&page=3`).expect(200);
    expect(res.body.results.map((r: { asset_id: string }) => r.asset_id)).toEqual(
      await expectedPage(small.draft.id, false, 2000, 1000),
    );
  });
});
