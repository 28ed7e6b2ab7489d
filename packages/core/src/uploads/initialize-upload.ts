import { randomUUID } from "node:crypto";
import type { Db } from "@dandi/db";
import { DANDI_ETAG_REGEX, MAX_OBJECT_SIZE, planEtagParts } from "../digests/dandi-etag";
import { ApiError } from "../errors";
import { assertDandisetModifiable, canReadBlob, canReadDandiset, isOwner, type Actor } from "../policies";
import { blobKey, type Storage } from "../storage/storage";
import { loadBlobOwnerIds } from "./load-blob-owner-ids";

export interface InitializeUploadOptions {
  db: Db;
  storage: Storage;
  actor: Actor;
  dandisetId: number;
  contentSize: number;
  digest: { algorithm: string; value: string };
}

export type TInitializeUploadResult =
  | { kind: "exists"; blobId: string }
  | { kind: "started"; uploadId: string; parts: { partNumber: number; size: number; uploadUrl: string }[] };

/**
 * DANDI's upload initialize: checks the digest type, the dandiset (visible,
 * owned, not unembargoing), then either reports an existing blob with the same
 * dandi-etag — only when the caller may read it, so that dedupe never leaks an
 * embargoed blob — or starts a multipart upload with DANDI's part schedule and
 * one presigned URL per part, bound to that part's exact size.
 */
export async function initializeUpload(options: InitializeUploadOptions): Promise<TInitializeUploadResult> {
  const { db, storage, actor, dandisetId, contentSize, digest } = options;
  if (digest.algorithm !== "dandi:dandi-etag") throw ApiError.list(["Unsupported Digest Type"]);
  if (!DANDI_ETAG_REGEX.test(digest.value)) {
    throw new ApiError(400, { digest: { value: ["Not a valid dandi-etag."] } });
  }
  if (contentSize > MAX_OBJECT_SIZE) {
    throw ApiError.fields({ contentSize: [`Ensure this value is less than or equal to ${MAX_OBJECT_SIZE}.`] });
  }

  const dandiset = await db.dandiset.findUnique({
    where: { id: dandisetId },
    include: { owners: { select: { userId: true } } },
  });
  const ownerIds = dandiset?.owners.map((o) => o.userId) ?? [];
  if (!dandiset || !canReadDandiset(actor, { dandisetId, embargoStatus: dandiset.embargoStatus }, ownerIds))
    throw ApiError.notFound();
  if (!isOwner(actor, ownerIds)) throw ApiError.string(403, "Action not allowed");
  assertDandisetModifiable(dandiset);

  const existing = await db.assetBlob.findUnique({ where: { etag: digest.value } });
  if (existing && canReadBlob(actor, existing, await loadBlobOwnerIds(db, existing.id, actor))) {
    return { kind: "exists", blobId: existing.blobId };
  }

  const uploadId = randomUUID();
  const key = blobKey(uploadId);
  const embargoed = dandiset.embargoStatus === "EMBARGOED";
  const multipartUploadId = await storage.createMultipartUpload(key, { embargoed });
  try {
    const parts = await Promise.all(
      planEtagParts(contentSize).map(async (p) => ({
        partNumber: p.partNumber,
        size: p.size,
        uploadUrl: await storage.presignUploadPart(key, multipartUploadId, p.partNumber, p.size),
      })),
    );
    await db.upload.create({
      data: { uploadId, key, etag: digest.value, size: contentSize, multipartUploadId, dandisetId, embargoed },
    });
    return { kind: "started", uploadId, parts };
  } catch (err) {
    // Nothing may outlive a failed initialize: the multipart upload would never be completed nor cleaned.
    await storage.abortMultipartUpload(key, multipartUploadId).catch(() => undefined);
    throw err;
  }
}
