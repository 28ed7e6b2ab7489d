import type { Db } from "@dandi/db";
import type { Storage } from "../storage/storage";

/** What an upload row points at in storage. */
export interface TUploadStorage {
  key: string;
  multipartUploadId: string;
}

/**
 * After upload rows were deleted (and committed): aborts their multipart
 * uploads and deletes the objects a `complete` may already have left at their
 * keys, unless a blob row holds that key. Best effort, one upload at a time:
 * what fails here is found later by the storage reconciliation sweep
 * (`reconcileStorage`), which lists the bucket. Returns how many were cleaned.
 */
export async function discardUploadStorage(
  db: Db,
  storage: Pick<Storage, "abortMultipartUpload" | "deleteObjects">,
  uploads: readonly TUploadStorage[],
): Promise<number> {
  if (!uploads.length) return 0;
  const blobKeys = new Set(
    (await db.assetBlob.findMany({ where: { key: { in: uploads.map((u) => u.key) } }, select: { key: true } })).map(
      (b) => b.key,
    ),
  );
  let cleaned = 0;
  for (const u of uploads) {
    try {
      await storage.abortMultipartUpload(u.key, u.multipartUploadId).catch((err: unknown) => {
        // Completed (or already aborted) uploads are unknown to storage: nothing to abort.
        if (!isNoSuchUpload(err)) throw err;
      });
      if (!blobKeys.has(u.key)) await storage.deleteObjects([u.key]);
      cleaned += 1;
    } catch {
      // Left for the reconciliation sweep.
    }
  }
  return cleaned;
}

function isNoSuchUpload(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === "NoSuchUpload" || e?.code === "NoSuchUpload" || e?.$metadata?.httpStatusCode === 404;
}
