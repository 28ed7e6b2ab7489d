import { Prisma, type PrismaClient } from "@dandi/db";
import { assetColumns, toAssetRecord, type TAssetRow } from "../assets/asset-record";
import type { TConfig } from "../config";
import { buildPublishedAssetMetadata } from "../publish/build-published-asset-metadata";
import type { SchemaCatalog, ValidationIssue } from "../schemas";
import type { Storage } from "../storage/storage";
import { buildPublishActivity } from "../versions/build-publish-activity";
import { formatPythonIsoformat } from "../versions/format-python-isoformat";
import { timestampParam } from "../sql/timestamps";

export interface ValidateAssetMetadataOptions {
  db: PrismaClient;
  schemas: SchemaCatalog;
  storage: Pick<Storage, "objectUrl">;
  config: Pick<TConfig, "DANDI_API_URL" | "DANDI_INSTANCE_NAME" | "DANDI_INSTANCE_IDENTIFIER">;
  /** assets.id */
  assetId: bigint;
  now?: Date;
}

export type TValidateAssetResult = "Valid" | "Invalid" | "skipped" | "not-ready";

/**
 * DANDI's validate_asset_metadata_task: a Pending blob asset whose blob has a
 * SHA-256, or zarr asset whose zarr is Complete, is validated as it would be
 * published (PublishedAsset) and becomes Valid or Invalid with [{field,
 * message}]. Optimistic: if the asset changed while it was validated, the
 * result is dropped. Bumps `modified` of the draft versions that contain the
 * asset. Safe to run twice.
 */
export async function validateAssetMetadata(options: ValidateAssetMetadataOptions): Promise<TValidateAssetResult> {
  const { db, schemas, storage, config, assetId } = options;
  const now = options.now ?? new Date();
  const [row] = await db.$queryRaw<TAssetRow[]>`
    SELECT ${assetColumns(true)} FROM assets a LEFT JOIN asset_blobs b ON b.id = a.blob_id WHERE a.id = ${assetId}`;
  if (!row) return "skipped";
  const asset = toAssetRecord(row);
  if (asset.status !== "Pending" && asset.status !== "Validating") return "skipped";
  // As DANDI: a blob asset once its SHA-256 is known, a zarr asset once its zarr is ingested.
  const ready = asset.zarr ? asset.zarr.status === "Complete" : !!asset.blob?.sha256;
  if (!ready) return "not-ready";

  // The asset's `modified` with its microseconds (a Date parameter would carry milliseconds only).
  const claimed = await db.$executeRaw`
    UPDATE assets SET status = 'Validating', modified = ${now}
    WHERE id = ${assetId} AND status = ${asset.status} AND modified = ${timestampParam(asset.modified)}::timestamptz`;
  if (claimed === 0) return "skipped";

  const metadata = buildPublishedAssetMetadata({
    asset,
    apiUrl: config.DANDI_API_URL,
    objectUrl: (k) => storage.objectUrl(k),
    publishedBy: buildPublishActivity(config, now),
    datePublished: formatPythonIsoformat(now),
  });
  const errors = validateAgainstPublishedAsset(schemas, metadata);
  const status = errors.length === 0 ? "Valid" : "Invalid";
  return db.$transaction(async (tx) => {
    const done = await tx.asset.updateMany({
      where: { id: assetId, status: "Validating", modified: now },
      data: { status, validationErrors: errors as unknown as Prisma.InputJsonValue, modified: new Date() },
    });
    if (done.count === 0) return "skipped";
    await tx.$executeRaw`
      UPDATE versions SET modified = now()
      WHERE version = 'draft' AND id IN (SELECT version_id FROM version_assets WHERE asset_id = ${assetId})`;
    return status;
  });
}

function validateAgainstPublishedAsset(schemas: SchemaCatalog, metadata: Record<string, unknown>): ValidationIssue[] {
  const schemaVersion = metadata.schemaVersion;
  if (typeof schemaVersion !== "string" || !schemas.allowedSchemaVersions.includes(schemaVersion)) {
    return [
      {
        field: "",
        message: `Metadata version ${String(schemaVersion)} is not allowed. Allowed are: ${schemas.allowedSchemaVersions.join(", ")}.`,
      },
    ];
  }
  return schemas.validate("PublishedAsset", metadata);
}

/**
 * The draft versions that hold an asset: a draft's assetsSummary counts Valid
 * assets only, so an asset that has just become Valid changes these summaries.
 */
export async function findAssetDraftVersionIds(db: PrismaClient, assetId: bigint): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT v.id FROM versions v JOIN version_assets va ON va.version_id = v.id
    WHERE va.asset_id = ${assetId} AND v.version = 'draft'`;
  return rows.map((r) => r.id);
}
