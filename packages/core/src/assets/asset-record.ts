import { Prisma } from "@dandi/db";
import { parseTimestamp, timestampText } from "../sql/timestamps";

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
  /** Set for a zarr asset (exactly one of blob and zarr is set). */
  zarr: TAssetZarr | null;
}

/** The zarr archive of a zarr asset. */
export interface TAssetZarr {
  id: bigint;
  zarrId: string;
  dandisetId: number;
  /** Pending | Uploaded | Ingesting | Complete. */
  status: string;
  /** Set exactly when Complete. */
  checksum: string | null;
  size: bigint;
  fileCount: bigint;
  /** Its dandiset is EMBARGOED or UNEMBARGOING (DANDI's ZarrArchive.embargoed). */
  embargoed: boolean;
}

/** The `zarr` column of ASSET_COLUMNS as the database returns it. */
interface TAssetZarrJson {
  id: number;
  zarr_id: string;
  dandiset_id: number;
  status: string;
  checksum: string | null;
  size: number;
  file_count: number;
  embargoed: boolean;
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
  /** timestampText: microseconds kept. */
  created: string;
  modified: string;
  blob_pk: bigint | null;
  blob_uuid: string | null;
  blob_key: string | null;
  etag: string | null;
  sha256: string | null;
  size: bigint | null;
  embargoed: boolean | null;
  zarr: TAssetZarrJson | null;
}

/**
 * The zarr of a zarr asset as one JSON column, looked up only for zarr assets
 * (so the callers' FROM clauses need no extra join).
 */
const ZARR_COLUMN = Prisma.sql`CASE WHEN a.zarr_id IS NULL THEN NULL ELSE (
    SELECT jsonb_build_object('id', z.id, 'zarr_id', z.zarr_id, 'dandiset_id', z.dandiset_id, 'status', z.status,
      'checksum', z.checksum, 'size', z.size, 'file_count', z.file_count,
      'embargoed', zd.embargo_status <> 'OPEN')
    FROM zarr_archives z JOIN dandisets zd ON zd.id = z.dandiset_id WHERE z.id = a.zarr_id
  ) END AS zarr`;

/** SELECT list for `assets a LEFT JOIN asset_blobs b`; metadata is optional because it is large. */
export function assetColumns(withMetadata: boolean): Prisma.Sql {
  return Prisma.sql`a.id, a.asset_id::text AS asset_uuid, a.path, ${
    withMetadata ? Prisma.sql`a.metadata` : Prisma.sql`NULL::jsonb AS metadata`
  }, a.status, a.validation_errors, a.published,
  ${timestampText(Prisma.sql`a.created`)} AS created, ${timestampText(Prisma.sql`a.modified`)} AS modified,
  b.id AS blob_pk, b.blob_id::text AS blob_uuid, b.key AS blob_key, b.etag, b.sha256, b.size, b.embargoed,
  ${ZARR_COLUMN}`;
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
    created: parseTimestamp(row.created),
    modified: parseTimestamp(row.modified),
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
    zarr: row.zarr === null || row.zarr === undefined ? null : toAssetZarr(row.zarr),
  };
}

function toAssetZarr(z: TAssetZarrJson): TAssetZarr {
  return {
    id: BigInt(z.id),
    zarrId: z.zarr_id,
    dandisetId: z.dandiset_id,
    status: z.status,
    checksum: z.checksum,
    size: BigInt(z.size),
    fileCount: BigInt(z.file_count),
    embargoed: z.embargoed,
  };
}

/** DANDI's Asset.size: the blob's or the zarr's. */
export function assetSize(asset: Pick<TAssetRecord, "blob" | "zarr">): bigint {
  return asset.blob?.size ?? asset.zarr?.size ?? 0n;
}

/** DANDI's Asset.is_embargoed: the blob is embargoed, or the zarr's dandiset is not OPEN. */
export function isAssetEmbargoed(asset: Pick<TAssetRecord, "blob" | "zarr">): boolean {
  return !!(asset.blob?.embargoed || asset.zarr?.embargoed);
}
