import type { PrismaClient } from "@dandi/db";
import type { Storage } from "../storage/storage";

export interface DeleteExpiredUploadsOptions {
  db: PrismaClient;
  storage: Pick<Storage, "abortMultipartUpload">;
  /** Uploads created longer ago than this are dead: their presigned part URLs have expired. */
  olderThanSeconds: number;
  limit?: number;
  now?: Date;
}

/**
 * Aborts the multipart upload of every upload older than the upload URL
 * expiry (freeing the parts in storage) and deletes its row. An upload that
 * storage no longer knows is deleted too. Returns how many were removed.
 */
export async function deleteExpiredUploads(options: DeleteExpiredUploadsOptions): Promise<number> {
  const { db, storage, olderThanSeconds, limit = 1000 } = options;
  const cutoff = new Date((options.now ?? new Date()).getTime() - olderThanSeconds * 1000);
  const uploads = await db.upload.findMany({ where: { created: { lt: cutoff } }, take: limit, orderBy: { id: "asc" } });
  let removed = 0;
  for (const upload of uploads) {
    try {
      await storage.abortMultipartUpload(upload.key, upload.multipartUploadId);
    } catch (err) {
      if (!isNoSuchUpload(err)) throw err;
    }
    removed += (await db.upload.deleteMany({ where: { id: upload.id } })).count;
  }
  return removed;
}

function isNoSuchUpload(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchUpload" || e?.code === "NoSuchUpload" || e?.$metadata?.httpStatusCode === 404;
}
