import type { AssetBlob, Db } from "@dandi/db";
import { ApiError } from "../errors";

/** The blob a write names by UUID; 404 {"detail":"Not found."} when unknown. */
export async function resolveBlob(db: Db, blobId: string): Promise<AssetBlob> {
  const blob = await db.assetBlob.findUnique({ where: { blobId } });
  if (!blob) throw ApiError.notFound();
  return blob;
}
