import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "@dandi/db";
import { blobKey, type Storage } from "@dandi/core";

/**
 * An EMBARGOED dandiset owned by `ownerId`, with one asset on an embargoed blob
 * whose bytes are stored (tagged embargoed) — the state an embargoed upload leaves.
 */
export async function seedEmbargoedDandiset(prisma: PrismaClient, storage: Storage, ownerId: number) {
  const bytes = randomBytes(64);
  const uuid = randomUUID();
  const key = blobKey(uuid);
  await storage.putObject(key, bytes, { embargoed: true });
  const blob = await prisma.assetBlob.create({
    data: {
      blobId: uuid,
      key,
      etag: `${randomBytes(16).toString("hex")}-1`,
      size: BigInt(bytes.length),
      embargoed: true,
    },
  });
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus: "EMBARGOED",
      embargoEndDate: new Date("2030-01-01"),
      owners: { create: { userId: ownerId } },
      versions: {
        create: {
          version: "draft",
          name: "Secret",
          status: "Valid",
          metadata: {
            schemaVersion: "0.7.0",
            access: [
              { schemaKey: "AccessRequirements", status: "dandi:EmbargoedAccess", embargoedUntil: "2030-01-01" },
            ],
          },
        },
      },
    },
    include: { versions: true },
  });
  const draft = dandiset.versions[0]!;
  const asset = await prisma.asset.create({
    data: {
      assetId: randomUUID(),
      path: "sub-1/secret.nwb",
      blobId: blob.id,
      metadata: { schemaVersion: "0.7.0" },
      status: "Valid",
    },
  });
  await prisma.versionAsset.create({
    data: { versionId: draft.id, assetId: asset.id, path: asset.path, created: asset.created },
  });
  const id = String(dandiset.id).padStart(6, "0");
  return { dandiset, draft, blob, asset, bytes, id };
}
