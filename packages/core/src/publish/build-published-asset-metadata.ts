import { buildFullAssetMetadata } from "../assets/build-full-asset-metadata";
import type { TAssetRecord } from "../assets/asset-record";

export interface BuildPublishedAssetMetadataOptions {
  asset: TAssetRecord;
  apiUrl: string;
  objectUrl: (key: string) => string;
  /** The publish's PublishActivity (buildPublishActivity). */
  publishedBy: Record<string, unknown>;
  /** Python isoformat of the publish time. */
  datePublished: string;
}

/**
 * DANDI's Asset.published_metadata(): full_metadata plus publishedBy and
 * datePublished. Used both to validate an asset (against PublishedAsset, as if
 * it were published now) and to freeze it when a version is published.
 */
export function buildPublishedAssetMetadata(options: BuildPublishedAssetMetadataOptions): Record<string, unknown> {
  const { asset, apiUrl, objectUrl, publishedBy, datePublished } = options;
  return { ...buildFullAssetMetadata({ asset, apiUrl, objectUrl }), publishedBy, datePublished };
}
