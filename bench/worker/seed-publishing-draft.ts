import type { PrismaClient } from "../../apps/worker/node_modules/@dandi/db/src/index";
import { seedDandisetWithAssets } from "../../apps/worker/test/seed-dandiset";

/**
 * A Publishing draft of `assets` assets (the worker tests' seed) with its folder
 * tree (sub-N folders and their files), which the publish copies, vacuumed and
 * analysed as a long-lived database would be.
 */
export async function seedPublishingDraft(prisma: PrismaClient, assets: number) {
  const seeded = await seedDandisetWithAssets(prisma, assets, "Publishing");
  const { draftId } = seeded;
  await prisma.$executeRaw`
    INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
    SELECT ${draftId}::int, path, split_part(path, '/', 1), asset_id, 1, 1000 FROM version_assets WHERE version_id = ${draftId}
    UNION ALL
    SELECT ${draftId}::int, split_part(path, '/', 1), '', NULL, count(*), count(*) * 1000
    FROM version_assets WHERE version_id = ${draftId} GROUP BY split_part(path, '/', 1)`;
  await prisma.$executeRawUnsafe("VACUUM ANALYZE");
  return seeded;
}
