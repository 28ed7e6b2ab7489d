import type { Db } from "@dandi/db";

/**
 * Downloads of a dandiset: the download counts of the distinct blobs used by
 * any of its versions (a blob shared by versions is counted once).
 */
export async function countDandisetDownloads(db: Db, dandisetId: number): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT coalesce(sum(b.download_count), 0)::bigint AS n FROM asset_blobs b
    WHERE b.id IN (
      SELECT a.blob_id FROM versions v JOIN version_assets va ON va.version_id = v.id JOIN assets a ON a.id = va.asset_id
      WHERE v.dandiset_id = ${dandisetId} AND a.blob_id IS NOT NULL)`;
  return Number(row!.n);
}
