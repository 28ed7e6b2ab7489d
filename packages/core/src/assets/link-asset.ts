import type { Db } from "@dandi/db";
import { ApiError } from "../errors";
import { findConflictingPaths } from "../asset-paths/find-conflicting-paths";
import { insertAssetPath } from "../asset-paths/insert-asset-path";
import { adjustAssetChunk } from "./adjust-asset-chunk";

export interface LinkAssetOptions {
  versionId: number;
  /** Internal id of an already created asset row. */
  assetId: bigint;
  path: string;
  size: bigint;
}

/** Python's repr() of a list of strings, as DANDI's conflict message shows it. */
function pythonListRepr(items: string[]): string {
  return `[${items.map((s) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`).join(", ")}]`;
}

/**
 * Puts an asset into a locked draft: 409 if the path is taken or clashes with
 * the folder tree, else the version_assets link, the tree rows and the
 * version's counters (status back to Pending, modified now). Transaction only.
 */
export async function linkAsset(tx: Db, options: LinkAssetOptions): Promise<void> {
  const { versionId, assetId, path, size } = options;
  const taken = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS one FROM version_assets WHERE version_id = ${versionId} AND path = ${path}`;
  if (taken.length > 0) throw ApiError.string(409, "An asset with that path already exists");
  const conflicts = await findConflictingPaths(tx, versionId, path);
  if (conflicts.length > 0) {
    throw ApiError.string(
      409,
      `Path of new asset "${path}" conflicts with existing assets: ${pythonListRepr(conflicts)}`,
    );
  }
  // The asset's created, copied in SQL so that its microseconds are kept (a Date has milliseconds only).
  await tx.$executeRaw`
    INSERT INTO version_assets (version_id, asset_id, path, created)
    SELECT ${versionId}, a.id, ${path}, a.created FROM assets a WHERE a.id = ${assetId}`;
  await adjustAssetChunk(tx, versionId, assetId, 1);
  await insertAssetPath(tx, { versionId, path, assetId, size });
  await tx.$executeRaw`
    UPDATE versions SET asset_count = asset_count + 1, size = size + ${size}, status = 'Pending', modified = now()
    WHERE id = ${versionId}`;
}
