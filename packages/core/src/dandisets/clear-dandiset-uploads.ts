import type { PrismaClient } from "@dandi/db";
import type { Storage } from "../storage/storage";
import { discardUploadStorage } from "../uploads/discard-upload-storage";

export interface ClearDandisetUploadsOptions {
  db: PrismaClient;
  storage: Pick<Storage, "abortMultipartUpload" | "deleteObjects">;
  dandisetId: number;
}

/**
 * Deletes a dandiset's Upload rows (DANDI's uploads DELETE), then aborts their
 * multipart uploads and deletes any object a `complete` left at their keys
 * (DANDI leaves both in the bucket for lifecycle rules). Returns how many rows went.
 */
export async function clearDandisetUploads({ db, storage, dandisetId }: ClearDandisetUploadsOptions): Promise<number> {
  const cleared = await db.$transaction(async (tx) => {
    const rows = await tx.upload.findMany({ where: { dandisetId }, select: { key: true, multipartUploadId: true } });
    await tx.upload.deleteMany({ where: { dandisetId, key: { in: rows.map((r) => r.key) } } });
    return rows;
  });
  await discardUploadStorage(db, storage, cleared);
  return cleared.length;
}
