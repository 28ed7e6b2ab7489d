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
 */
export async function findAssetVersion(db: Db, dandisetId: number, version: string): Promise<TAssetVersion> {
  const row = await db.version.findUnique({
    where: { dandisetId_version: { dandisetId, version } },
    select: {
      id: true,
      version: true,
      dandisetId: true,
      dandiset: { select: { embargoStatus: true, owners: { select: { userId: true } } } },
    },
  });
  if (!row) throw ApiError.notFound();
  return {
    id: row.id,
    version: row.version,
    dandisetId: row.dandisetId,
    embargoStatus: row.dandiset.embargoStatus,
    ownerIds: row.dandiset.owners.map((o) => o.userId),
  };
}
