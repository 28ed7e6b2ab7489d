import type { PrismaClient } from "@dandi/db";
import type { Storage } from "../storage/storage";
import { hashStream } from "./hash-stream";

export interface ComputeBlobSha256Options {
  db: PrismaClient;
  storage: Storage;
  /** asset_blobs.id */
  blobId: bigint;
}

export type TComputeBlobSha256Result =
  | { status: "computed" | "already-computed"; sha256: string; pendingAssetIds: bigint[] }
  | { status: "missing-blob" }
  | { status: "mismatch"; reason: string };

/**
 * DANDI's calculate_sha256: streams the blob from storage, checks its size and
 * dandi-etag against the row while hashing, and stores the SHA-256 (exposed as
 * digest["dandi:sha2-256"]). Returns the Pending assets that use the blob, whose
 * validation could not start before. Safe to run twice: a stored hash is kept.
 */
export async function computeBlobSha256(options: ComputeBlobSha256Options): Promise<TComputeBlobSha256Result> {
  const { db, storage, blobId } = options;
  const blob = await db.assetBlob.findUnique({ where: { id: blobId } });
  if (!blob) return { status: "missing-blob" };
  let sha256 = blob.sha256;
  let status: "computed" | "already-computed" = "already-computed";
  if (!sha256) {
    const stream = await storage.getObjectStream(blob.key);
    const digests = await hashStream(stream, Number(blob.size));
    if (digests.size !== Number(blob.size)) {
      return { status: "mismatch", reason: `size ${digests.size} differs from recorded ${blob.size}` };
    }
    if (digests.dandiEtag !== blob.etag) {
      return { status: "mismatch", reason: `dandi-etag ${digests.dandiEtag} differs from recorded ${blob.etag}` };
    }
    sha256 = digests.sha256;
    // Only the first writer stores it; a concurrent run computed the same value anyway.
    await db.assetBlob.updateMany({ where: { id: blobId, sha256: null }, data: { sha256, modified: new Date() } });
    status = "computed";
  }
  const assets = await db.asset.findMany({ where: { blobId, status: "Pending" }, select: { id: true } });
  return { status, sha256, pendingAssetIds: assets.map((a) => a.id) };
}
