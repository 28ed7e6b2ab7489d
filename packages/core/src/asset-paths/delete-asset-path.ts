import type { Db } from "@dandi/db";
import { ancestorPaths } from "./ancestor-paths";

export interface DeleteAssetPathOptions {
  versionId: number;
  path: string;
}

/**
 * Removes a file from the version's folder tree: deletes its leaf row, takes its
 * count and size off every ancestor folder, and deletes folders left empty.
 * The leaf's recorded size is used (not the blob's) so the tree stays balanced
 * whatever happened to the blob or zarr since. Run inside the asset write's
 * transaction. Returns the leaf's recorded size (0 when there was no leaf).
 */
export async function deleteAssetPath(tx: Db, options: DeleteAssetPathOptions): Promise<bigint> {
  const { versionId, path } = options;
  const leaf = await tx.$queryRaw<{ aggregate_size: bigint }[]>`
    DELETE FROM asset_paths WHERE version_id = ${versionId} AND path = ${path} AND asset_id IS NOT NULL
    RETURNING aggregate_size`;
  if (leaf.length === 0) return 0n;
  const size = leaf[0]!.aggregate_size;
  const folders = ancestorPaths(path);
  if (folders.length === 0) return size;
  await tx.$executeRaw`
    UPDATE asset_paths
    SET aggregate_files = aggregate_files - 1, aggregate_size = aggregate_size - ${leaf[0]!.aggregate_size}
    WHERE version_id = ${versionId} AND path = ANY(${folders}::text[])`;
  await tx.$executeRaw`
    DELETE FROM asset_paths
    WHERE version_id = ${versionId} AND path = ANY(${folders}::text[]) AND aggregate_files <= 0`;
  return size;
}
