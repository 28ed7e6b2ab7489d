import { randomBytes, randomUUID } from "node:crypto";
import type { EmbargoStatus, PrismaClient } from "@dandi/db";
import { blobKey } from "@dandi/core";
import type { Express } from "express";
import request from "supertest";

/** A dandiset with a draft (and optionally a published version), owned by `ownerId`. */
export async function seedDandiset(
  prisma: PrismaClient,
  options: { ownerId: number; embargoStatus?: EmbargoStatus; published?: boolean },
) {
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus: options.embargoStatus ?? "OPEN",
      embargoEndDate: options.embargoStatus && options.embargoStatus !== "OPEN" ? new Date("2030-01-01") : null,
      owners: { create: { userId: options.ownerId } },
    },
  });
  const draft = await prisma.version.create({
    data: {
      dandisetId: dandiset.id,
      version: "draft",
      name: "Test",
      metadata: { schemaVersion: "0.7.0" },
      status: "Valid",
      modified: new Date("2020-01-01T00:00:00Z"),
    },
  });
  const published = options.published
    ? await prisma.version.create({
        data: { dandisetId: dandiset.id, version: "0.230101.1234", name: "Test", metadata: { schemaVersion: "0.7.0" } },
      })
    : null;
  const id = String(dandiset.id).padStart(6, "0");
  return { dandiset, draft, published, id, base: `/api/dandisets/${id}/versions/draft/assets/` };
}

/** An AssetBlob row (as a finished upload leaves it), optionally with its bytes in storage. */
export async function seedBlob(
  prisma: PrismaClient,
  options: { size?: number; embargoed?: boolean; sha256?: string; bytes?: Buffer } = {},
) {
  const uuid = randomUUID();
  return prisma.assetBlob.create({
    data: {
      blobId: uuid,
      key: blobKey(uuid),
      etag: `${randomBytes(16).toString("hex")}-1`,
      sha256: options.sha256 ?? null,
      size: BigInt(options.bytes?.length ?? options.size ?? 100),
      embargoed: options.embargoed ?? false,
    },
  });
}

/**
 * A draft owned by `owner` holding `paths` (blobs of `size` bytes), added in order
 * through the API so that everything an asset write maintains (asset_paths, counts) is real.
 */
export async function seedDraftWithAssets(
  app: Express,
  prisma: PrismaClient,
  owner: { token: string; user: { id: number } },
  paths: string[],
  options: { embargoStatus?: EmbargoStatus; size?: number } = {},
) {
  const ds = await seedDandiset(prisma, { ownerId: owner.user.id, embargoStatus: options.embargoStatus });
  const assets: Record<string, string> = {};
  for (const path of paths) {
    const blob = await seedBlob(prisma, { size: options.size ?? 10, embargoed: options.embargoStatus === "EMBARGOED" });
    const res = await request(app)
      .post(ds.base)
      .set({ Authorization: `token ${owner.token}` })
      .send({ metadata: { path }, blob_id: blob.blobId })
      .expect(200);
    assets[path] = res.body.asset_id;
  }
  return { ...ds, assets };
}
