import type { AssetBlob } from "@dandi/db";

/** DANDI's AssetBlobSerializer: the storage key and internal ids stay off the wire. */
export function presentAssetBlob(blob: AssetBlob) {
  return { blob_id: blob.blobId, etag: blob.etag, sha256: blob.sha256, size: blob.size };
}
