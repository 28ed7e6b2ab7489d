import type { Db, EmbargoStatus } from "@dandi/db";
import { ApiError } from "../errors";

export interface TAssetVersion {
  id: number;
  version: string;
  dandisetId: number;
  embargoStatus: EmbargoStatus;
  ownerIds: number[];
}

/**
 * The version an asset route is nested in, with what the permission checks
 * need (embargo status, owners). 404 when the dandiset or version is unknown.
 * One statement: every nested asset request pays for it.
 */
export async function findAssetVersion(db: Db, dandisetId: number, version: string): Promise<TAssetVersion> {
  const rows = await db.$queryRaw<
    { id: number; version: string; dandiset_id: number; embargo_status: EmbargoStatus; owner_ids: number[] }[]
  >`
    SELECT v.id, v.version, v.dandiset_id, d.embargo_status::text AS embargo_status,
           ARRAY(SELECT user_id FROM dandiset_owners WHERE dandiset_id = d.id) AS owner_ids
    FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
    WHERE v.dandiset_id = ${dandisetId} AND v.version = ${version}`;
  const row = rows[0];
  if (!row) throw ApiError.notFound();
  return {
    id: row.id,
    version: row.version,
    dandisetId: row.dandiset_id,
    embargoStatus: row.embargo_status,
    ownerIds: row.owner_ids,
  };
}
