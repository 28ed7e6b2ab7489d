import type { AssetBlob, Db } from "@dandi/db";
import { ApiError } from "../errors";
import { canReadBlob, type Actor } from "../policies";
import { loadBlobOwnerIds } from "./load-blob-owner-ids";

export const SUPPORTED_BLOB_DIGESTS = ["dandi:dandi-etag", "dandi:sha2-256"] as const;

export interface FindBlobByDigestOptions {
  db: Db;
  actor: Actor;
  algorithm: string;
  value: string;
}

/**
 * DANDI's blob lookup by digest (dandi-etag or sha2-256). A blob the caller
 * may not read (embargoed, not theirs) is a 404, exactly like an unknown one.
 */
export async function findBlobByDigest({ db, actor, algorithm, value }: FindBlobByDigestOptions): Promise<AssetBlob> {
  if (!(SUPPORTED_BLOB_DIGESTS as readonly string[]).includes(algorithm)) {
    throw ApiError.string(400, `Unsupported Digest Algorithm. Supported: ${SUPPORTED_BLOB_DIGESTS.join(", ")}`);
  }
  // sha256 is not unique (two uploads of the same bytes cannot exist, but be safe): take the oldest.
  const blob =
    algorithm === "dandi:dandi-etag"
      ? await db.assetBlob.findUnique({ where: { etag: value } })
      : await db.assetBlob.findFirst({ where: { sha256: value }, orderBy: { id: "asc" } });
  if (!blob || !canReadBlob(actor, blob, await loadBlobOwnerIds(db, blob.id, actor))) throw ApiError.notFound();
  return blob;
}
