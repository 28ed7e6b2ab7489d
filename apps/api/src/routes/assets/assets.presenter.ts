import type { AppDeps } from "../../context";
import { assetSize, buildFullAssetMetadata, type TAssetRecord, type TPathChild } from "@dandi/core";
import { formatTimestamp } from "../../lib/time";

/** DANDI's asset full_metadata, served by the asset detail routes. */
export function presentFullMetadata(deps: AppDeps, asset: TAssetRecord) {
  return buildFullAssetMetadata({
    asset,
    apiUrl: deps.config.DANDI_API_URL,
    objectUrl: (key) => deps.storage.objectUrl(key),
  });
}

/** An asset list item; `metadata` (the full metadata) only when asked for. */
export function presentAsset(deps: AppDeps, asset: TAssetRecord, withMetadata = false) {
  return {
    asset_id: asset.assetId,
    blob: asset.blob?.blobId ?? null,
    zarr: asset.zarr?.zarrId ?? null,
    path: asset.path,
    size: Number(assetSize(asset)),
    created: formatTimestamp(asset.created),
    modified: formatTimestamp(asset.modified),
    ...(withMetadata ? { metadata: presentFullMetadata(deps, asset) } : {}),
  };
}

/** DANDI's AssetDetail: the list item plus the full metadata. */
export function presentAssetDetail(deps: AppDeps, asset: TAssetRecord) {
  return presentAsset(deps, asset, true);
}

/** GET .../assets/{id}/validation/ */
export function presentAssetValidation(asset: TAssetRecord) {
  return { status: asset.status, validation_errors: asset.validationErrors };
}

/** One entry of GET .../assets/paths/ */
export function presentPathChild(deps: AppDeps, child: TPathChild) {
  return {
    path: child.path,
    version: child.versionId,
    aggregate_files: Number(child.aggregateFiles),
    aggregate_size: Number(child.aggregateSize),
    asset: child.asset
      ? {
          asset_id: child.asset.assetId,
          url: child.asset.blobKey ? deps.storage.objectUrl(child.asset.blobKey) : null,
        }
      : null,
  };
}
