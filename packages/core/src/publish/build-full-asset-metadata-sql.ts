import { Prisma } from "@dandi/db";
import type { Storage } from "../storage/storage";

/**
 * Blob keys whose URL PostgreSQL can build by concatenation: every character is
 * one that encodeURIComponent leaves alone (blobKey() keys always are). Rows
 * with other keys are frozen in Node instead.
 */
export const URL_SAFE_KEY_PATTERN = "^[A-Za-z0-9._~!*()/-]*$";

export interface BuildFullAssetMetadataSqlOptions {
  /** Public API origin without /api (config.DANDI_API_URL). */
  apiUrl: string;
  storage: Pick<Storage, "objectUrl">;
}

/**
 * buildFullAssetMetadata as a SQL expression over `a` (assets) and `b`
 * (asset_blobs, LEFT JOINed on a.blob_id), so that a whole version's assets are
 * frozen or written out without shipping each row through Node. jsonb keeps no
 * key order, so only the values have to agree with the TypeScript builder (a
 * test compares the two); the contentUrl is right only for URL-safe keys
 * (URL_SAFE_KEY_PATTERN).
 */
export function buildFullAssetMetadataSql({ apiUrl, storage }: BuildFullAssetMetadataSqlOptions): Prisma.Sql {
  const probe = storage.objectUrl("k");
  if (!probe.endsWith("/k")) throw new Error(`objectUrl does not end with its key: ${probe}`);
  const objectUrlPrefix = probe.slice(0, -1);
  const downloadUrl = Prisma.sql`${apiUrl}::text || '/api/assets/' || a.asset_id::text || '/download/'`;
  return Prisma.sql`(
    jsonb_build_object('schemaKey', 'Asset') || a.metadata || jsonb_build_object(
      'id', 'dandiasset:' || a.asset_id::text,
      'access', jsonb_build_array(jsonb_build_object('schemaKey', 'AccessRequirements',
        'status', CASE WHEN b.embargoed THEN 'dandi:EmbargoedAccess' ELSE 'dandi:OpenAccess' END)),
      'path', a.path,
      'identifier', a.asset_id::text,
      'contentUrl', CASE WHEN b.id IS NULL THEN jsonb_build_array(${downloadUrl})
        ELSE jsonb_build_array(${downloadUrl}, ${objectUrlPrefix}::text || b.key) END,
      'contentSize', coalesce(b.size, 0),
      'digest', CASE WHEN b.id IS NULL THEN '{}'::jsonb
        ELSE jsonb_build_object('dandi:dandi-etag', b.etag)
          || CASE WHEN coalesce(b.sha256, '') <> '' THEN jsonb_build_object('dandi:sha2-256', b.sha256) ELSE '{}'::jsonb END
        END)
    || CASE WHEN jsonb_typeof(a.metadata->'schemaVersion') = 'string'
      THEN jsonb_build_object('@context',
        'https://raw.githubusercontent.com/dandi/schema/master/releases/' || (a.metadata->>'schemaVersion') || '/context.json')
      ELSE '{}'::jsonb END
  )`;
}
