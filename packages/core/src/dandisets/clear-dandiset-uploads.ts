import type { Db } from "@dandi/db";

export interface ClearDandisetUploadsOptions {
  db: Db;
  dandisetId: number;
}

/**
 * Deletes a dandiset's Upload rows (DANDI's uploads DELETE). Like DANDI, the
 * S3 multipart uploads are left for storage lifecycle rules to abort.
 */
export async function clearDandisetUploads({ db, dandisetId }: ClearDandisetUploadsOptions): Promise<number> {
  const { count } = await db.upload.deleteMany({ where: { dandisetId } });
  return count;
}
