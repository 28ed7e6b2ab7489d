import { Prisma, type Db } from "@dandi/db";
import { ApiError } from "../errors";
import { assetColumns, toAssetRecord, type TAssetRecord, type TAssetRow } from "./asset-record";

/**
 * An asset of a version by its UUID (with metadata and blob), or 404 when the
 * asset does not exist or is not in that version.
 */
export async function findVersionAsset(db: Db, versionId: number, assetId: string): Promise<TAssetRecord> {
  const rows = await db.$queryRaw<TAssetRow[]>(Prisma.sql`
    SELECT ${assetColumns(true)}
    FROM assets a
    JOIN version_assets va ON va.asset_id = a.id AND va.version_id = ${versionId}
    LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE a.asset_id = ${assetId}::uuid`);
  if (rows.length === 0) throw ApiError.notFound();
  return toAssetRecord(rows[0]!);
}
