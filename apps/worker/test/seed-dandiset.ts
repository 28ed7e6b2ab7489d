import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@dandi/db";

/**
 * A dandiset whose draft holds `assetCount` Valid blob assets, inserted with
 * set-based SQL (tests and the publish benchmark need tens of thousands).
 * The draft is left in `draftStatus`.
 */
export async function seedDandisetWithAssets(
  prisma: PrismaClient,
  assetCount: number,
  draftStatus = "Valid",
): Promise<{ dandisetId: number; draftId: number; userId: number }> {
  const user = await prisma.user.create({
    data: { email: `seed-${randomUUID()}@example.org`, username: `seed-${randomUUID()}`, status: "APPROVED" },
  });
  const dandiset = await prisma.dandiset.create({ data: { owners: { create: { userId: user.id } } } });
  const draft = await prisma.version.create({
    data: {
      dandisetId: dandiset.id,
      version: "draft",
      name: "Seeded",
      status: draftStatus,
      metadata: {
        schemaKey: "Dandiset",
        schemaVersion: "0.8.0",
        name: "Seeded",
        description: "Seeded dandiset",
        license: ["spdx:CC0-1.0"],
        contributor: [
          { schemaKey: "Person", name: "Doe, Jane", roleName: ["dcite:ContactPerson"], includeInCitation: true },
        ],
      },
      assetCount: BigInt(assetCount),
      size: BigInt(assetCount) * 1000n,
    },
  });
  const blobUuid = randomUUID();
  const blob = await prisma.assetBlob.create({
    data: {
      blobId: blobUuid,
      key: `blobs/${blobUuid.slice(0, 3)}/${blobUuid.slice(3, 6)}/${blobUuid}`,
      etag: `${randomUUID().replace(/-/g, "")}-1`,
      sha256: "a".repeat(64),
      size: 1000n,
    },
  });
  await prisma.$executeRaw`
    WITH ins AS (
      INSERT INTO assets (asset_id, path, blob_id, metadata, status, published, created, modified)
      SELECT gen_random_uuid(), 'sub-' || (g % 100) || '/file-' || g || '.nwb', ${blob.id},
        jsonb_build_object('schemaKey', 'Asset', 'schemaVersion', '0.8.0', 'encodingFormat', 'application/x-nwb',
          'wasAttributedTo', jsonb_build_array(jsonb_build_object('schemaKey', 'Participant', 'identifier', 'sub-' || (g % 100),
            'species', jsonb_build_object('schemaKey', 'SpeciesType', 'identifier', 'http://purl.obolibrary.org/obo/NCBITaxon_10090', 'name', 'Mus musculus - House mouse')))),
        'Valid', false, now(), now()
      FROM generate_series(1, ${assetCount}) g
      RETURNING id, path, created
    )
    INSERT INTO version_assets (version_id, asset_id, path, created) SELECT ${draft.id}, id, path, created FROM ins`;
  return { dandisetId: dandiset.id, draftId: draft.id, userId: user.id };
}
