import type { Db } from "@dandi/db";
import { planEtagParts } from "@dandi/shared";
import { ApiError } from "../errors";
import { assertDandisetModifiable, isOwner, type Actor } from "../policies";
import type { Storage } from "../storage/storage";
import { findVisibleUpload } from "./find-visible-upload";

export interface PresignUploadPartsOptions {
  db: Db;
  storage: Storage;
  actor: Actor;
  uploadId: string;
}

/**
 * Fresh presigned part URLs for a multipart upload that is still open (not a
 * DANDI endpoint): a client that resumes an interrupted upload later than the
 * URLs of initialize are valid keeps its upload id and the parts it already
 * stored, and only needs new URLs for the rest. The schedule is the one
 * initialize handed out (DANDI's, from the upload's size). Owners of the
 * upload's dandiset only, as initialize; 404 (the read policy) for callers who
 * may not see the dandiset.
 */
export async function presignUploadParts(
  options: PresignUploadPartsOptions,
): Promise<{ uploadId: string; parts: { partNumber: number; size: number; uploadUrl: string }[] }> {
  const { db, storage, actor, uploadId } = options;
  const upload = await findVisibleUpload({ db, actor, uploadId });
  const dandiset = await db.dandiset.findUniqueOrThrow({
    where: { id: upload.dandisetId },
    select: { embargoStatus: true, owners: { select: { userId: true } } },
  });
  if (
    !isOwner(
      actor,
      dandiset.owners.map((o) => o.userId),
    )
  )
    throw ApiError.forbidden();
  assertDandisetModifiable(dandiset);
  const parts = await Promise.all(
    planEtagParts(Number(upload.size)).map(async (p) => ({
      partNumber: p.partNumber,
      size: p.size,
      uploadUrl: await storage.presignUploadPart(upload.key, upload.multipartUploadId, p.partNumber, p.size),
    })),
  );
  return { uploadId, parts };
}
