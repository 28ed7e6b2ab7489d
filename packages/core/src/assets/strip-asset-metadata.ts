/** Asset metadata keys the server computes; clients' values are dropped (dandi-api.md §2). */
export const COMPUTED_ASSET_KEYS = [
  "id",
  "access",
  "path",
  "identifier",
  "contentUrl",
  "contentSize",
  "digest",
  "datePublished",
  "publishedBy",
] as const;

/**
 * The metadata an asset row stores: the client's metadata without the computed
 * keys. Everything else (blobDateModified, encodingFormat, ...) is kept as sent.
 */
export function stripAssetMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const stripped: Record<string, unknown> = { ...metadata };
  for (const key of COMPUTED_ASSET_KEYS) delete stripped[key];
  return stripped;
}
