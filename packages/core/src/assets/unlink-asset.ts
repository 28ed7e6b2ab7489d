import type { Db } from "@dandi/db";
import { ApiError } from "../errors";
import { deleteAssetPath } from "../asset-paths/delete-asset-path";
import { adjustAssetChunk } from "./adjust-asset-chunk";

/**
 * Takes an asset out of a locked draft: removes the version_assets link and the
 * tree rows and lowers the version's counters (status back to Pending, modified
 * now). The asset row itself is kept. 404 if the asset is not in the version.
 */
export async function unlinkAsset(tx: Db, versionId: number, assetId: bigint): Promise<void> {
  await adjustAssetChunk(tx, versionId, assetId, -1);
  const removed = await tx.$queryRaw<{ path: string }[]>`
    DELETE FROM version_assets va
    WHERE va.version_id = ${versionId} AND va.asset_id = ${assetId}
    RETURNING va.path`;
  if (removed.length === 0) throw ApiError.notFound();
  // The size the tree and the version counted for this file: a zarr's size changes after it was linked.
  const size = await deleteAssetPath(tx, { versionId, path: removed[0]!.path });
  await tx.$executeRaw`
    UPDATE versions SET asset_count = asset_count - 1, size = size - ${size}, status = 'Pending', modified = now()
    WHERE id = ${versionId}`;
}
