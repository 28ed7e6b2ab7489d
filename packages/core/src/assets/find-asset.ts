import { Prisma, type Db } from "@dandi/db";
import { ApiError } from "../errors";
import { assetColumns, toAssetRecord, type TAssetRecord, type TAssetRow } from "./asset-record";

/**
 * An asset by UUID, whichever versions hold it, with the owners of every
 * dandiset that contains it (the embargo gate of the top-level asset routes).
 * 404 when unknown.
 */
export async function findAsset(db: Db, assetId: string): Promise<{ asset: TAssetRecord; ownerIds: number[] }> {
  const rows = await db.$queryRaw<(TAssetRow & { owner_ids: number[] | null })[]>(Prisma.sql`
    SELECT ${assetColumns(true)},
      CASE WHEN b.embargoed OR EXISTS (
        SELECT 1 FROM zarr_archives z JOIN dandisets zd ON zd.id = z.dandiset_id
        WHERE z.id = a.zarr_id AND zd.embargo_status <> 'OPEN'
      ) THEN (
        SELECT array_agg(DISTINCT o.user_id) FROM version_assets va
        JOIN versions v ON v.id = va.version_id
        JOIN dandiset_owners o ON o.dandiset_id = v.dandiset_id
        WHERE va.asset_id = a.id
      ) END AS owner_ids
    FROM assets a
    LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE a.asset_id = ${assetId}::uuid`);
  if (rows.length === 0) throw ApiError.notFound();
  return { asset: toAssetRecord(rows[0]!), ownerIds: rows[0]!.owner_ids ?? [] };
}
