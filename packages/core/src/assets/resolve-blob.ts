import type { AssetBlob, Db, User } from "@dandi/db";
import { ApiError } from "../errors";
import { canReadBlob } from "../policies";
import { loadBlobOwnerIds } from "../uploads/load-blob-owner-ids";

/**
 * The blob a write names by UUID; 404 {"detail":"Not found."} when unknown, and
 * also when it is an embargoed blob the caller may not read: attaching it to the
 * caller's own (open) dandiset would otherwise publish its bytes. A freshly
 * uploaded embargoed blob that no asset uses yet is attachable: its id is only
 * ever returned to a caller who uploaded the bytes (validate, or the dedupe
 * that answers with the existing blob after a full upload).
 */
export async function resolveBlob(db: Db, blobId: string, user: User): Promise<AssetBlob> {
  const blob = await db.assetBlob.findUnique({ where: { blobId } });
  if (!blob) throw ApiError.notFound();
  if (!blob.embargoed || canReadBlob(user, blob, await loadBlobOwnerIds(db, blob.id, user))) return blob;
  const used = await db.asset.findFirst({ where: { blobId: blob.id }, select: { id: true } });
  if (used) throw ApiError.notFound();
  return blob;
}
