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
  const removed = await tx.$queryRaw<{ path: string; size: bigint | null }[]>`
    DELETE FROM version_assets va
    USING assets a LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE va.version_id = ${versionId} AND va.asset_id = ${assetId} AND a.id = va.asset_id
    RETURNING va.path, b.size`;
  if (removed.length === 0) throw ApiError.notFound();
  const { path, size } = removed[0]!;
  await deleteAssetPath(tx, { versionId, path });
  await tx.$executeRaw`
    UPDATE versions SET asset_count = asset_count - 1, size = size - ${size ?? 0n}, status = 'Pending', modified = now()
    WHERE id = ${versionId}`;
}
