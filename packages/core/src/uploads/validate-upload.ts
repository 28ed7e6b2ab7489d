import { Prisma, type AssetBlob, type Db, type PrismaClient, type Upload } from "@dandi/db";
import { ApiError } from "../errors";
import { addOutboxJob } from "../outbox/add-outbox-job";
import { canReadBlob, type Actor } from "../policies";
import type { Storage } from "../storage/storage";
import { findVisibleUpload } from "./find-visible-upload";
import { loadBlobOwnerIds } from "./load-blob-owner-ids";

export interface ValidateUploadOptions {
  db: PrismaClient;
  storage: Storage;
  actor: Actor;
  uploadId: string;
}

export interface TValidateUploadResult {
  blob: AssetBlob;
  /** True when this upload minted the blob; false when an identical blob already existed. */
  created: boolean;
  /** The blob's computeBlobSha256 job, recorded in the outbox with the blob: drain after the commit. */
  outboxIds: bigint[];
}

/** Deletes the Upload and creates its AssetBlob, or finds the existing blob with that etag, in one transaction. */
async function mintBlob(db: PrismaClient, upload: Upload): Promise<TValidateUploadResult> {
  return db.$transaction(async (tx) => {
    // Deleting first locks the row: a second validate of the same upload waits, then finds nothing.
    const claimed = await tx.upload.deleteMany({ where: { id: upload.id } });
    if (claimed.count === 0) throw ApiError.notFound();
    const existing = await tx.assetBlob.findUnique({ where: { etag: upload.etag } });
    if (existing) return { blob: existing, created: false, outboxIds: [] };
    const blob = await tx.assetBlob.create({
      data: {
        blobId: upload.uploadId,
        key: upload.key,
        etag: upload.etag,
        size: upload.size,
        embargoed: upload.embargoed,
      },
    });
    const outboxId = await addOutboxJob(tx, "computeBlobSha256", { blobId: blob.id.toString() });
    return { blob, created: true, outboxIds: [outboxId] };
  });
}

/** Removes a failed or redundant upload: its object (if any) and its row. */
async function discardUpload(db: Db, storage: Storage, upload: Upload): Promise<void> {
  await storage.deleteObject(upload.key);
  await db.upload.deleteMany({ where: { id: upload.id } });
}

/**
 * DANDI's upload validate: the completed object must exist with the announced
 * size and dandi-etag; then the AssetBlob is minted (blob_id = upload_id) and
 * the Upload deleted, in one transaction. On a size or ETag mismatch the object
 * and the Upload are removed and nothing is created.
 *
 * If a blob with this etag already exists (a concurrent upload, or an
 * embargoed blob that initialize did not reveal), the fresh object is dropped
 * and the existing blob returned: the caller proved they hold the bytes by
 * uploading them. A caller who could already read that blob gets DANDI's 409.
 *
 * A `created` blob's sha256 job (JOBS.computeBlobSha256) is in the outbox, committed with
 * the blob: the caller drains `outboxIds` after this function returns.
 */
export async function validateUpload(options: ValidateUploadOptions): Promise<TValidateUploadResult> {
  const { db, storage, actor, uploadId } = options;
  const upload = await findVisibleUpload({ db, actor, uploadId });
  const head = await storage.headObject(upload.key);
  if (!head) throw ApiError.list(["Object does not exist."]);
  if (BigInt(head.size) !== upload.size) {
    await discardUpload(db, storage, upload);
    throw ApiError.list([`Size ${upload.size} does not match actual size ${head.size}.`]);
  }
  if (head.etag !== upload.etag) {
    await discardUpload(db, storage, upload);
    throw ApiError.list([`ETag ${upload.etag} does not match actual ETag ${head.etag}.`]);
  }

  const result = await mintBlob(db, upload).catch((err: unknown) => {
    // A concurrent validate of another upload with the same etag won the unique index: use its blob.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") return mintBlob(db, upload);
    throw err;
  });

  if (!result.created) {
    await storage.deleteObject(upload.key);
    if (canReadBlob(actor, result.blob, await loadBlobOwnerIds(db, result.blob.id, actor))) {
      throw ApiError.string(409, "An identical blob has already been uploaded.", { Location: result.blob.blobId });
    }
  }
  return result;
}
