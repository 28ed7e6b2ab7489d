import type { PrismaClient } from "@dandi/db";
import type { Storage } from "../storage/storage";
import { GarbageCollectionRun, pruneGarbageCollectionEvents } from "./garbage-collection-events";

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
 * storage no longer knows is deleted too. Each deleted row is kept as a
 * garbage-collection record of the run's event, as DANDI. Returns how many were removed.
 */
export async function deleteExpiredUploads(options: DeleteExpiredUploadsOptions): Promise<number> {
  const { db, storage, olderThanSeconds, limit = 1000 } = options;
  const cutoff = new Date((options.now ?? new Date()).getTime() - olderThanSeconds * 1000);
  const uploads = await db.upload.findMany({ where: { created: { lt: cutoff } }, take: limit, orderBy: { id: "asc" } });
  const run = new GarbageCollectionRun("Upload");
  let removed = 0;
  for (const upload of uploads) {
    try {
      await storage.abortMultipartUpload(upload.key, upload.multipartUploadId);
    } catch (err) {
      if (!isNoSuchUpload(err)) throw err;
    }
    const eventId = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<({ id: number } & Record<string, unknown>)[]>`
        SELECT * FROM uploads WHERE id = ${upload.id} FOR UPDATE`;
      if (!row) return null;
      const event = await run.record(tx, row);
      await tx.upload.delete({ where: { id: upload.id } });
      return event;
    });
    if (eventId === null) continue;
    run.committed(eventId);
    removed += 1;
  }
  await pruneGarbageCollectionEvents(db, options.now);
  return removed;
}

function isNoSuchUpload(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchUpload" || e?.code === "NoSuchUpload" || e?.$metadata?.httpStatusCode === 404;
}
