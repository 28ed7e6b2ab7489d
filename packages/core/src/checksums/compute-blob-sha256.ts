import type { PrismaClient } from "@dandi/db";
import { LocalStorage } from "../storage/local-storage";
import type { Storage } from "../storage/storage";
import { hashFile, hashStream, type HashOptions, type StreamDigests } from "./hash-stream";

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
 * dandi-etag against the row, and stores the SHA-256 (exposed as
 * digest["dandi:sha2-256"]). Returns the Pending assets that use the blob, whose
 * validation could not start before. Safe to run twice: a stored hash is kept.
 *
 * The dandi-etag is S3's multipart ETag, which the storage itself computed from
 * the bytes it received (an MD5 per part). When the stored object's ETag equals
 * the row's, the content is the uploaded content and only SHA-256 is computed;
 * otherwise (an object written some other way) the etag is recomputed from the
 * bytes while hashing, which doubles the CPU work.
 */
export async function computeBlobSha256(options: ComputeBlobSha256Options): Promise<TComputeBlobSha256Result> {
  const { db, storage, blobId } = options;
  const blob = await db.assetBlob.findUnique({ where: { id: blobId } });
  if (!blob) return { status: "missing-blob" };
  let sha256 = blob.sha256;
  let status: "computed" | "already-computed" = "already-computed";
  if (!sha256) {
    const stored = await storage.headObject(blob.key);
    // Thrown (and retried): the object may be missing for a moment on an eventually consistent store.
    if (!stored) throw new Error(`object ${blob.key} of blob ${blob.blobId} is not in storage`);
    if (stored.size !== Number(blob.size)) {
      return { status: "mismatch", reason: `stored size ${stored.size} differs from recorded ${blob.size}` };
    }
    const storageEtagMatches = stored.etag === blob.etag;
    const digests = await readDigests(storage, blob.key, {
      expectedSize: Number(blob.size),
      etag: !storageEtagMatches,
    });
    if (digests.size !== Number(blob.size)) {
      return { status: "mismatch", reason: `size ${digests.size} differs from recorded ${blob.size}` };
    }
    if (!storageEtagMatches && digests.dandiEtag !== blob.etag) {
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

/** Local files are read into reused buffers; other storage is streamed. */
async function readDigests(storage: Storage, key: string, options: HashOptions): Promise<StreamDigests> {
  if (storage instanceof LocalStorage) return hashFile(storage.objectPath(key), options);
  return hashStream(await storage.getObjectStream(key), options);
}
