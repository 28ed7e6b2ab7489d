import { Prisma, type Db } from "@dandi/db";
import { ancestorPaths, parentPath } from "./ancestor-paths";

export interface InsertAssetPathOptions {
  versionId: number;
  path: string;
  /** Internal id of the asset (assets.id). */
  assetId: bigint;
  size: bigint;
}

/**
 * Adds a file to the version's folder tree: its leaf row, every missing ancestor
 * folder, and +1 file / +size on each ancestor's aggregates. Run it inside the
 * asset write's transaction, after the version row was locked, so that the
 * aggregates stay exact under concurrent writes.
 */
export async function insertAssetPath(tx: Db, options: InsertAssetPathOptions): Promise<void> {
  const { versionId, path, assetId, size } = options;
  const folders = ancestorPaths(path);
  if (folders.length > 0) {
    // One statement for all folders: created with this file's counts, or incremented.
    await tx.$executeRaw`
      INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
      SELECT ${versionId}, f.path, f.parent, NULL, 1, ${size}
      FROM unnest(${folders}::text[], ${folders.map(parentPath)}::text[]) AS f(path, parent)
      ON CONFLICT (version_id, path) DO UPDATE
        SET aggregate_files = asset_paths.aggregate_files + 1,
            aggregate_size = asset_paths.aggregate_size + EXCLUDED.aggregate_size`;
  }
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
    VALUES (${versionId}, ${path}, ${parentPath(path)}, ${assetId}, 1, ${size})`);
}
