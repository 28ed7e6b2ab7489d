import { Prisma, type Db, type EmbargoStatus } from "@dandi/db";
import { ApiError } from "../errors";
import type { TDandisetAccess } from "../policies";
import { assetColumns, toAssetRecord, type TAssetRecord, type TAssetRow } from "./asset-record";

/**
 * An asset by UUID, whichever versions hold it, with the embargo status and
 * owners of every dandiset whose versions hold it (what `canReadAsset`, the
 * read policy of the top-level asset routes, decides on). 404 when unknown.
 */
export async function findAsset(
  db: Db,
  assetId: string,
): Promise<{ asset: TAssetRecord; containing: TDandisetAccess[] }> {
  const rows = await db.$queryRaw<
    (TAssetRow & { containing: { dandisetId: number; embargoStatus: EmbargoStatus; ownerIds: number[] }[] | null })[]
  >(Prisma.sql`
    SELECT ${assetColumns(true)},
      (SELECT json_agg(json_build_object(
          'dandisetId', d.id,
          'embargoStatus', d.embargo_status,
          'ownerIds', ARRAY(SELECT o.user_id FROM dandiset_owners o WHERE o.dandiset_id = d.id)))
        FROM dandisets d
        WHERE d.id IN (SELECT v.dandiset_id FROM version_assets va JOIN versions v ON v.id = va.version_id
                       WHERE va.asset_id = a.id)) AS containing
    FROM assets a
    LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE a.asset_id = ${assetId}::uuid`);
  if (rows.length === 0) throw ApiError.notFound();
  return { asset: toAssetRecord(rows[0]!), containing: rows[0]!.containing ?? [] };
}
