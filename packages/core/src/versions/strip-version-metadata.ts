/** Keys the server computes on every save; clients may not set them. */
export const VERSION_COMPUTED_FIELDS = [
  "name",
  "identifier",
  "version",
  "id",
  "url",
  "assetsSummary",
  "citation",
  "doi",
  "dateCreated",
  "datePublished",
  "publishedBy",
  "manifestLocation",
  "releaseNotes",
] as const;

export type TMetadata = Record<string, unknown>;

/**
 * DANDI's Version.strip_metadata: drops the computed fields, and the access
 * status/schemaKey (the server decides those from the embargo state).
 * Returns a new object; the input is not modified.
 */
export function stripVersionMetadata(metadata: TMetadata): TMetadata {
  const computed = new Set<string>(VERSION_COMPUTED_FIELDS);
  const stripped: TMetadata = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!computed.has(key)) stripped[key] = value;
  }
  const access = stripped.access;
  if (Array.isArray(access) && access.length > 0 && isPlainObject(access[0])) {
    const { schemaKey: _schemaKey, status: _status, ...rest } = access[0];
    stripped.access = [rest, ...access.slice(1)];
  }
  return stripped;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
