import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { computeApplicationStats } from "@dandi/core";
import type { PrismaClient } from "@dandi/db";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();

async function createDandiset(db: PrismaClient, versions: string[]) {
  return db.dandiset.create({
    data: {
      versions: { create: versions.map((version) => ({ version, name: `Dandiset ${version}`, metadata: {} })) },
    },
    include: { versions: true },
  });
}

async function createBlob(db: PrismaClient, size: number) {
  const blobId = randomUUID();
  return db.assetBlob.create({
    data: { blobId, key: `blobs/${blobId}`, etag: randomUUID().replace(/-/g, ""), size: BigInt(size) },
  });
}

async function attachAsset(db: PrismaClient, versionId: number, blobId: bigint, path: string) {
  const asset = await db.asset.create({ data: { assetId: randomUUID(), path, blobId, metadata: {} } });
  await db.versionAsset.create({ data: { versionId, assetId: asset.id, path, created: asset.created } });
}

describe("GET /api/stats/", () => {
  it("is all zeros on a fresh database", async () => {
    const res = await request(ctx.app).get("/api/stats/").expect(200);
    expect(res.body).toEqual({
      dandiset_count: 0,
      published_dandiset_count: 0,
      user_count: 0,
      size: 0,
      download_count: 0,
    });
  });

  it("changes only when the stats are computed, and counts what DANDI counts", async () => {
    await buildUser(ctx.prisma);
    await buildUser(ctx.prisma, { isSuperuser: true });
    for (const status of ["INCOMPLETE", "PENDING", "REJECTED"] as const) await buildUser(ctx.prisma, { status });
    const draftOnly = await createDandiset(ctx.prisma, ["draft"]);
    const published = await createDandiset(ctx.prisma, ["draft", "0.250101.1200", "0.250102.1200"]);
    await createDandiset(ctx.prisma, ["draft"]);

    const shared = await createBlob(ctx.prisma, 1000);
    const other = await createBlob(ctx.prisma, 234);
    const unused = await createBlob(ctx.prisma, 99_999); // referenced by no version: its size is not counted
    // Downloads counted by the analytics worker: every blob's, as the per-dandiset counts.
    await ctx.prisma.assetBlob.update({ where: { id: shared.id }, data: { downloadCount: 5n } });
    await ctx.prisma.assetBlob.update({ where: { id: unused.id }, data: { downloadCount: 2n } });
    // The same blob in two versions (and under two paths) is counted once.
    await attachAsset(ctx.prisma, draftOnly.versions[0]!.id, shared.id, "a.nwb");
    await attachAsset(ctx.prisma, published.versions[1]!.id, shared.id, "b.nwb");
    await attachAsset(ctx.prisma, published.versions[2]!.id, other.id, "c.nwb");

    const before = await request(ctx.app).get("/api/stats/").expect(200);
    expect(before.body).toEqual({
      dandiset_count: 0,
      published_dandiset_count: 0,
      user_count: 0,
      size: 0,
      download_count: 0,
    });

    const row = await computeApplicationStats(ctx.prisma);
    expect(row.userCount).toBe(2);
    const after = await request(ctx.app).get("/api/stats/").expect(200);
    expect(after.body).toEqual({
      dandiset_count: 3,
      published_dandiset_count: 1,
      user_count: 2,
      size: 1234,
      download_count: 7,
    });

    // The latest row wins.
    await createDandiset(ctx.prisma, ["draft"]);
    await computeApplicationStats(ctx.prisma);
    expect((await request(ctx.app).get("/api/stats/").expect(200)).body.dandiset_count).toBe(4);
    expect(await ctx.prisma.applicationStats.count()).toBe(2);
  });
});
