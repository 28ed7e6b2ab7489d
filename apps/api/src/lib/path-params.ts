/**
 * The URL segments the routes accept, as Django's URL patterns of DANDI match them.
 * A segment that does not match is a 404; the OpenAPI document declares the same
 * patterns for its path parameters (openapi.ts).
 */
export const DANDISET_ID_RE = /^\d{6}$/;
export const VERSION_RE = /^(0\.\d{6}\.\d{4}|draft)$/;
/** An asset or zarr id: a version-4 UUID in lower case. */
export const UUID4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
