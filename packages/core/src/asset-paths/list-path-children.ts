import { ApiError } from "../errors";
import type { Db } from "@dandi/db";
import { ZARR_PREFIX_NAME } from "../storage/storage";

export interface ListPathChildrenOptions {
  versionId: number;
  /** Folder path; '' is the root; a trailing "/" is ignored. */
  pathPrefix: string;
  offset: number;
  limit: number;
}

export interface TPathChild {
  path: string;
  versionId: number;
  aggregateFiles: bigint;
  aggregateSize: bigint;
  /** Set for files: the asset's UUID and its blob's storage key (a zarr's: its key prefix). */
  asset: { assetId: string; blobKey: string | null } | null;
}

/**
 * One page of the direct children of a folder, ordered by path, and their total.
 * Both are index scans on asset_paths (version_id, parent, path), so a folder of
 * any size answers in milliseconds. 404 "Specified path not found." for an
 * unknown folder.
 */
export async function listPathChildren(
  db: Db,
  options: ListPathChildrenOptions,
): Promise<{ count: number; children: TPathChild[] }> {
  const { versionId, offset, limit } = options;
  const folder = options.pathPrefix.replace(/\/+$/, "");
  // The folder check, the count and the page are independent: one round trip of latency.
  const [found, countRows, rows] = await Promise.all([
    folder === ""
      ? Promise.resolve([{ one: 1 }])
      : db.$queryRaw<{ one: number }[]>`
          SELECT 1 AS one FROM asset_paths WHERE version_id = ${versionId} AND path = ${folder}`,
    db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM asset_paths WHERE version_id = ${versionId} AND parent = ${folder}`,
    db.$queryRaw<
      {
        path: string;
        aggregate_files: bigint;
        aggregate_size: bigint;
        asset_uuid: string | null;
        blob_key: string | null;
      }[]
    >`
      SELECT p.path, p.aggregate_files, p.aggregate_size, a.asset_id::text AS asset_uuid,
        coalesce(b.key, ${`${ZARR_PREFIX_NAME}/`} || z.zarr_id::text || '/') AS blob_key
      FROM (
        SELECT path, asset_id, aggregate_files, aggregate_size FROM asset_paths
        WHERE version_id = ${versionId} AND parent = ${folder}
        ORDER BY path OFFSET ${offset} LIMIT ${limit}
      ) p
      LEFT JOIN assets a ON a.id = p.asset_id
      LEFT JOIN asset_blobs b ON b.id = a.blob_id
      LEFT JOIN zarr_archives z ON z.id = a.zarr_id
      ORDER BY p.path`,
  ]);
  if (found.length === 0) throw ApiError.notFound("Specified path not found.");
  return {
    count: Number(countRows[0]?.count ?? 0),
    children: rows.map((r) => ({
      path: r.path,
      versionId,
      aggregateFiles: r.aggregate_files,
      aggregateSize: r.aggregate_size,
      asset: r.asset_uuid ? { assetId: r.asset_uuid, blobKey: r.blob_key } : null,
    })),
  };
}
