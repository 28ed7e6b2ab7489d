import { zarrKeyPrefix } from "../storage/storage";
import { assetSize, isAssetEmbargoed, type TAssetRecord } from "./asset-record";

export interface BuildFullAssetMetadataOptions {
  asset: TAssetRecord;
  /** Public API origin without /api (config.DANDI_API_URL). */
  apiUrl: string;
  /** Unsigned object URL of a storage key (storage.objectUrl). */
  objectUrl: (key: string) => string;
}

/**
 * DANDI's `full_metadata`: the stored metadata plus the computed keys (id,
 * access, path, identifier, contentUrl, contentSize, digest, @context). The CLI
 * needs digest["dandi:dandi-etag"] to download and reads blobDateModified back.
 */
export function buildFullAssetMetadata({ asset, apiUrl, objectUrl }: BuildFullAssetMetadataOptions) {
  const { blob, zarr } = asset;
  const digest: Record<string, string | null> = {};
  if (blob) {
    digest["dandi:dandi-etag"] = blob.etag;
    if (blob.sha256) digest["dandi:sha2-256"] = blob.sha256;
  } else if (zarr) {
    // DANDI's ZarrArchive.digest: the checksum, null until ingested.
    digest["dandi:dandi-zarr-checksum"] = zarr.checksum;
  }
  const storageKey = blob ? blob.key : zarr ? zarrKeyPrefix(zarr.zarrId) : null;
  const full: Record<string, unknown> = {
    schemaKey: "Asset",
    ...asset.metadata,
    id: `dandiasset:${asset.assetId}`,
    access: [
      {
        schemaKey: "AccessRequirements",
        status: isAssetEmbargoed(asset) ? "dandi:EmbargoedAccess" : "dandi:OpenAccess",
      },
    ],
    path: asset.path,
    identifier: asset.assetId,
    contentUrl: [
      `${apiUrl}/api/assets/${asset.assetId}/download/`,
      ...(storageKey === null ? [] : [objectUrl(storageKey)]),
    ],
    contentSize: Number(assetSize(asset)),
    digest,
  };
  const schemaVersion = typeof full.schemaVersion === "string" ? full.schemaVersion : undefined;
  if (schemaVersion) {
    full["@context"] = `https://raw.githubusercontent.com/dandi/schema/master/releases/${schemaVersion}/context.json`;
  }
  if (zarr) full.encodingFormat = "application/x-zarr";
  return full;
}
