import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { isOwner } from "../policies";
import type { Storage } from "../storage/storage";
import { discardUploadStorage } from "../uploads/discard-upload-storage";

export interface DeleteDandisetOptions {
  db: PrismaClient;
  user: User;
  dandisetId: number;
  /** Where the uploads the deletion cascades to have their multipart uploads and completed objects. */
  storage: Pick<Storage, "abortMultipartUpload" | "deleteObjects">;
}

/**
 * DANDI's delete_dandiset: owners only, never with a published version or
 * while publishing or unembargoing. Versions go first, then the dandiset, with
 * a delete_dandiset audit record, in one transaction. Its uploads go with it
 * (cascade); after the commit their multipart uploads are aborted and any object
 * a `complete` left before `validate` is deleted.
 */
export async function deleteDandiset({ db, user, dandisetId, storage }: DeleteDandisetOptions): Promise<void> {
  const uploads = await db.$transaction(async (tx) => {
    const dandiset = await tx.dandiset.findUniqueOrThrow({
      where: { id: dandisetId },
      include: { owners: { select: { userId: true } }, versions: { select: { version: true, status: true } } },
    });
    if (
      !isOwner(
        user,
        dandiset.owners.map((o) => o.userId),
      )
    ) {
      throw ApiError.string(403, "Cannot delete dandisets which you do not own.");
    }
    if (dandiset.versions.some((v) => v.version !== "draft")) {
      throw ApiError.string(403, "Cannot delete dandisets with published versions.");
    }
    if (dandiset.versions.some((v) => v.status === "Publishing")) {
      throw ApiError.string(403, "Cannot delete dandisets that are currently being published.");
    }
    if (dandiset.embargoStatus === "UNEMBARGOING") {
      throw ApiError.string(400, "Dandiset modification not allowed during unembargo");
    }
    await writeAuditRecord(tx, { dandisetId, user, recordType: "delete_dandiset", details: {} });
    const rows = await tx.upload.findMany({ where: { dandisetId }, select: { key: true, multipartUploadId: true } });
    await tx.version.deleteMany({ where: { dandisetId } });
    await tx.dandiset.delete({ where: { id: dandisetId } });
    return rows;
  });
  await discardUploadStorage(db, storage, uploads);
}
