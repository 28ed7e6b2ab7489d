import type { PrismaClient } from "@dandi/db";
import { ASSET_CHUNK_SIZE } from "./asset-chunk-size";

const inFlight = new Set<number>();

/**
 * Recomputes a version's version_asset_chunks from version_assets (one ordered
 * index-only scan). Needed for versions whose assets were linked by something
 * other than the asset writes (publish copies version_assets in bulk, seeds).
 * Holds the version row lock so that no asset write interleaves.
 */
export async function rebuildAssetChunks(db: PrismaClient, versionId: number): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM versions WHERE id = ${versionId} FOR UPDATE`;
      await tx.$executeRaw`DELETE FROM version_asset_chunks WHERE version_id = ${versionId}`;
      await tx.$executeRaw`
        INSERT INTO version_asset_chunks (version_id, first_created, first_asset_id, count)
        SELECT ${versionId}, created, asset_id, least(${ASSET_CHUNK_SIZE}, total - rn)
        FROM (
          SELECT created, asset_id, row_number() OVER (ORDER BY created, asset_id) - 1 AS rn,
                 count(*) OVER () AS total
          FROM version_assets WHERE version_id = ${versionId}
        ) s
        WHERE rn % ${ASSET_CHUNK_SIZE} = 0`;
    },
    { timeout: 120_000 },
  );
}

/**
 * Starts rebuildAssetChunks in the background, at most once at a time per
 * version in this process; failures are left for the next request to retry.
 */
export function scheduleAssetChunkRebuild(db: PrismaClient, versionId: number): void {
  if (inFlight.has(versionId)) return;
  inFlight.add(versionId);
  rebuildAssetChunks(db, versionId)
    .catch(() => undefined)
    .finally(() => inFlight.delete(versionId));
}
