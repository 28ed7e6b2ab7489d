import type { ApplicationStats, Db } from "@dandi/db";

/**
 * Inserts a new ApplicationStats row, DANDI's `compute_application_stats`:
 * every dandiset, dandisets with a published version, APPROVED users, and the
 * bytes of distinct blobs and zarr archives referenced by any version; plus the downloads the
 * analytics worker counted (every blob's). One INSERT ... SELECT, so the
 * numbers come from one snapshot.
 */
export async function computeApplicationStats(db: Db): Promise<ApplicationStats> {
  const [row] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO application_stats (timestamp, dandiset_count, published_dandiset_count, user_count, size, download_count)
    SELECT clock_timestamp(),
      (SELECT count(*) FROM dandisets),
      (SELECT count(DISTINCT dandiset_id) FROM versions WHERE version <> 'draft'),
      (SELECT count(*) FROM users WHERE status = 'APPROVED'),
      (SELECT coalesce(sum(b.size), 0) FROM asset_blobs b
        WHERE EXISTS (
          SELECT 1 FROM assets a JOIN version_assets va ON va.asset_id = a.id WHERE a.blob_id = b.id
        ))
      + (SELECT coalesce(sum(z.size), 0) FROM zarr_archives z
        WHERE EXISTS (
          SELECT 1 FROM assets a JOIN version_assets va ON va.asset_id = a.id WHERE a.zarr_id = z.id
        )),
      (SELECT coalesce(sum(download_count), 0) FROM asset_blobs)
    RETURNING id`;
  return db.applicationStats.findUniqueOrThrow({ where: { id: row!.id } });
}
