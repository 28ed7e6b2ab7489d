import { Prisma, type PrismaClient } from "@dandi/db";
import { assetColumns, toAssetRecord, type TAssetRow } from "../assets/asset-record";
import { writeAuditRecord } from "../audit";
import type { TConfig } from "../config";
import type { Storage } from "../storage/storage";
import { buildPublishActivity } from "../versions/build-publish-activity";
import { formatPythonIsoformat } from "../versions/format-python-isoformat";
import { populateVersionMetadata } from "../versions/populate-version-metadata";
import { nextVersionString } from "@dandi/shared";
import { aggregateAssetsSummary } from "./aggregate-assets-summary";
import { buildFullAssetMetadataSql, URL_SAFE_KEY_PATTERN } from "./build-full-asset-metadata-sql";
import { buildPublishedAssetMetadata } from "./build-published-asset-metadata";

export interface PublishDandisetOptions {
  db: PrismaClient;
  storage: Pick<Storage, "objectUrl">;
  config: Pick<TConfig, "DANDI_API_URL" | "DANDI_WEB_APP_URL" | "DANDI_INSTANCE_NAME" | "DANDI_INSTANCE_IDENTIFIER">;
  dandisetId: number;
  userId: number;
  now?: Date;
  /** Draft assets linked and frozen per statement. */
  batchSize?: number;
  /** Progress: after each batch of assets ("linked", with the count so far) and after each later step. */
  onProgress?: (step: TPublishStep, linked: number) => void;
}

export type TPublishStep = "linked" | "paths-copied" | "summary-computed";

export type TPublishDandisetResult =
  | { status: "published"; versionId: number; version: string }
  /** Nothing to do; `latestVersionId` is the newest published version, whose follow-up jobs may still be due. */
  | { status: "skipped"; reason: string; latestVersionId: number | null };

/**
 * DANDI's publish_dandiset_task, in one transaction: creates the immutable
 * version 0.YYMMDD.HHMM (UTC; +1 minute while taken), links every draft asset
 * to it in set-based batches (unpublished ones are frozen: published=true and
 * their published metadata, built in SQL), copies the folder tree, computes assetsSummary (also
 * copied to the draft), sets the new version Valid and the draft Published, and
 * writes the publish_dandiset audit record. Manifests and the DOI follow as
 * their own jobs. A draft that is not Publishing is skipped, so a retry after a
 * crash either redoes the whole (rolled back) work or nothing.
 */
export async function publishDandiset(options: PublishDandisetOptions): Promise<TPublishDandisetResult> {
  const { db, storage, config, dandisetId, userId, batchSize = 20_000, onProgress } = options;
  const now = options.now ?? new Date();
  return db.$transaction(
    async (tx) => {
      const [draft] = await tx.$queryRaw<{ id: number; status: string }[]>`
        SELECT id, status FROM versions WHERE dandiset_id = ${dandisetId} AND version = 'draft' FOR UPDATE`;
      if (!draft || draft.status !== "Publishing") {
        const latest = await tx.version.findFirst({
          where: { dandisetId, version: { not: "draft" } },
          orderBy: { id: "desc" },
          select: { id: true },
        });
        return {
          status: "skipped",
          reason: `draft is ${draft?.status ?? "missing"}`,
          latestVersionId: latest?.id ?? null,
        };
      }
      // The immutability trigger lets this transaction write the new (non-draft) version's metadata.
      await tx.$executeRawUnsafe(`SET LOCAL dandi.publishing = 'on'`);
      const draftRow = await tx.version.findUniqueOrThrow({ where: { id: draft.id }, include: { dandiset: true } });
      const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
      const version = await freeVersionString(tx, dandisetId, now);
      const publishedBy = buildPublishActivity(config, now);
      const datePublished = formatPythonIsoformat(now);
      const draftMetadata = structuredClone(draftRow.metadata as Record<string, unknown>);

      const created = await tx.version.create({
        data: {
          dandisetId,
          version,
          name: draftRow.name,
          metadata: draftMetadata as Prisma.InputJsonValue,
          status: "Valid",
          releaseNotes: draftRow.releaseNotes,
          assetCount: draftRow.assetCount,
          size: draftRow.size,
          created: now,
          modified: now,
        },
      });
      const objectUrl = (k: string) => storage.objectUrl(k);
      await linkAndFreezeAssets(tx, {
        draftId: draft.id,
        versionId: created.id,
        batchSize,
        fullMetadata: buildFullAssetMetadataSql({ apiUrl: config.DANDI_API_URL, storage }),
        publishedFields: { publishedBy, datePublished },
        freeze: (row) =>
          buildPublishedAssetMetadata({
            asset: toAssetRecord(row),
            apiUrl: config.DANDI_API_URL,
            objectUrl,
            publishedBy,
            datePublished,
          }),
        onProgress: (linked) => onProgress?.("linked", linked),
      });
      await tx.$executeRaw`
        INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
        SELECT ${created.id}, path, parent, asset_id, aggregate_files, aggregate_size FROM asset_paths WHERE version_id = ${draft.id}`;
      const assetCount = Number(draftRow.assetCount);
      onProgress?.("paths-copied", assetCount);
      const assetsSummary = await aggregateAssetsSummary(tx, created.id);
      onProgress?.("summary-computed", assetCount);
      const metadata = populateVersionMetadata({
        metadata: {
          ...draftMetadata,
          publishedBy,
          datePublished,
          ...(draftRow.releaseNotes ? { releaseNotes: draftRow.releaseNotes } : {}),
          assetsSummary,
        },
        name: draftRow.name,
        version,
        dandiset: draftRow.dandiset,
        config,
        objectUrl,
        now,
      });
      await tx.version.update({ where: { id: created.id }, data: { metadata: metadata as Prisma.InputJsonValue } });
      await tx.$executeRaw`
        UPDATE versions SET status = 'Published', modified = ${now},
          metadata = jsonb_set(metadata, '{assetsSummary}', ${JSON.stringify(assetsSummary)}::jsonb)
        WHERE id = ${draft.id}`;
      await writeAuditRecord(tx, { dandisetId, user, recordType: "publish_dandiset", details: { version } });
      return { status: "published", versionId: created.id, version };
    },
    { timeout: 30 * 60_000, maxWait: 60_000 },
  );
}

async function freeVersionString(tx: Prisma.TransactionClient, dandisetId: number, now: Date): Promise<string> {
  const taken = new Set(
    (await tx.version.findMany({ where: { dandisetId }, select: { version: true } })).map((v) => v.version),
  );
  let at = new Date(now);
  let version = nextVersionString(at);
  while (taken.has(version)) {
    at = new Date(at.getTime() + 60_000);
    version = nextVersionString(at);
  }
  return version;
}

interface LinkOptions {
  draftId: number;
  versionId: number;
  batchSize: number;
  /** buildFullAssetMetadataSql: the published metadata is this plus publishedFields. */
  fullMetadata: Prisma.Sql;
  publishedFields: { publishedBy: Record<string, unknown>; datePublished: string };
  /** The Node fallback for assets whose blob key PostgreSQL cannot turn into a URL. */
  freeze: (row: TAssetRow) => Record<string, unknown>;
  onProgress?: (done: number) => void;
}

/**
 * Links the draft's assets to the new version and freezes the unpublished ones
 * (published = true, metadata = their published metadata), `batchSize` assets
 * per statement: each batch is one INSERT ... SELECT and one UPDATE ... FROM,
 * computed inside PostgreSQL. Assets already published keep their frozen
 * metadata, as in DANDI.
 */
async function linkAndFreezeAssets(tx: Prisma.TransactionClient, o: LinkOptions): Promise<void> {
  const published = Prisma.sql`jsonb_build_object('publishedBy', ${JSON.stringify(o.publishedFields.publishedBy)}::jsonb,
    'datePublished', ${o.publishedFields.datePublished}::text)`;
  let cursor = -1n;
  let done = 0;
  for (;;) {
    const [batch] = await tx.$queryRaw<{ last: bigint | null; linked: bigint }[]>`
      WITH batch AS (
        SELECT asset_id, path, created FROM version_assets
        WHERE version_id = ${o.draftId} AND asset_id > ${cursor}
        ORDER BY asset_id LIMIT ${o.batchSize}
      ), linked AS (
        INSERT INTO version_assets (version_id, asset_id, path, created)
        SELECT ${o.versionId}, asset_id, path, created FROM batch
        RETURNING 1
      ), frozen AS (
        UPDATE assets SET published = true, metadata = f.metadata
        FROM (
          SELECT a.id, ${o.fullMetadata} || ${published} AS metadata
          FROM batch JOIN assets a ON a.id = batch.asset_id LEFT JOIN asset_blobs b ON b.id = a.blob_id
          WHERE NOT a.published AND (b.id IS NULL OR b.key ~ ${URL_SAFE_KEY_PATTERN})
        ) f
        WHERE assets.id = f.id
        RETURNING 1
      )
      SELECT (SELECT max(asset_id) FROM batch) AS last, (SELECT count(*) FROM linked) AS linked,
        (SELECT count(*) FROM frozen) AS frozen`;
    if (!batch || batch.last === null) break;
    cursor = batch.last;
    done += Number(batch.linked);
    o.onProgress?.(done);
  }
  await freezeUnsafeKeyAssets(tx, o);
}

/** The rare assets left unfrozen by linkAndFreezeAssets: their published metadata is built in Node. */
async function freezeUnsafeKeyAssets(tx: Prisma.TransactionClient, o: LinkOptions): Promise<void> {
  let cursor = -1n;
  for (;;) {
    const rows = await tx.$queryRaw<TAssetRow[]>`
      SELECT ${assetColumns(true)} FROM version_assets va JOIN assets a ON a.id = va.asset_id
      LEFT JOIN asset_blobs b ON b.id = a.blob_id
      WHERE va.version_id = ${o.draftId} AND va.asset_id > ${cursor} AND NOT a.published
        AND b.key !~ ${URL_SAFE_KEY_PATTERN}
      ORDER BY va.asset_id LIMIT 1000`;
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.id.toString());
    const metas = rows.map((r) => JSON.stringify(o.freeze(r)));
    await tx.$executeRaw`
      UPDATE assets a SET published = true, metadata = v.metadata::jsonb
      FROM unnest(${ids}::text[], ${metas}::text[]) AS v(id, metadata)
      WHERE a.id = v.id::bigint`;
    cursor = rows[rows.length - 1]!.id;
  }
}
