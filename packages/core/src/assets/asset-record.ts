import { Prisma } from "@dandi/db";

/** An asset with the blob fields that every asset response needs. */
export interface TAssetRecord {
  /** Internal id (assets.id). */
  id: bigint;
  assetId: string;
  path: string;
  metadata: Record<string, unknown>;
  status: string;
  validationErrors: unknown;
  published: boolean;
  created: Date;
  modified: Date;
  blob: {
    id: bigint;
    blobId: string;
    key: string;
    etag: string;
    sha256: string | null;
    size: bigint;
    embargoed: boolean;
  } | null;
}

/** The raw row of ASSET_COLUMNS; `metadata` is null when it was not selected. */
export interface TAssetRow {
  id: bigint;
  asset_uuid: string;
  path: string;
  metadata: Record<string, unknown> | null;
  status: string;
  validation_errors: unknown;
  published: boolean;
  created: Date;
  modified: Date;
  blob_pk: bigint | null;
  blob_uuid: string | null;
  blob_key: string | null;
  etag: string | null;
  sha256: string | null;
  size: bigint | null;
  embargoed: boolean | null;
}

/** SELECT list for `assets a LEFT JOIN asset_blobs b`; metadata is optional because it is large. */
export function assetColumns(withMetadata: boolean): Prisma.Sql {
  return Prisma.sql`a.id, a.asset_id::text AS asset_uuid, a.path, ${
    withMetadata ? Prisma.sql`a.metadata` : Prisma.sql`NULL::jsonb AS metadata`
  }, a.status, a.validation_errors, a.published, a.created, a.modified,
  b.id AS blob_pk, b.blob_id::text AS blob_uuid, b.key AS blob_key, b.etag, b.sha256, b.size, b.embargoed`;
}

/** Maps an ASSET_COLUMNS row to a TAssetRecord. */
export function toAssetRecord(row: TAssetRow): TAssetRecord {
  return {
    id: row.id,
    assetId: row.asset_uuid,
    path: row.path,
    metadata: row.metadata ?? {},
    status: row.status,
    validationErrors: row.validation_errors,
    published: row.published,
    created: row.created,
    modified: row.modified,
    blob:
      row.blob_pk === null
        ? null
        : {
            id: row.blob_pk,
            blobId: row.blob_uuid!,
            key: row.blob_key!,
            etag: row.etag!,
            sha256: row.sha256,
            size: row.size!,
            embargoed: row.embargoed!,
          },
  };
}
