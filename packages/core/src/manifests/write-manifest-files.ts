import { Prisma, type PrismaClient } from "@dandi/db";
import { assetColumns, toAssetRecord, type TAssetRow } from "../assets/asset-record";
import { buildFullAssetMetadata } from "../assets/build-full-asset-metadata";
import type { TConfig } from "../config";
import type { Storage } from "../storage/storage";
import { formatDandisetIdentifier } from "../versions/populate-version-metadata";
import { ChunkedObjectWriter } from "./chunked-object-writer";
import { formatYamlDocument, formatYamlSequenceItem } from "./format-yaml";

export interface WriteManifestFilesOptions {
  db: PrismaClient;
  storage: Storage;
  config: Pick<TConfig, "DANDI_API_URL" | "S3_BUCKET">;
  versionId: number;
  /** Assets read per query; memory is bounded by this, not by the version's size. */
  pageSize?: number;
  /** Called after each page with the number of assets written so far. */
  onProgress?: (written: number) => void;
}

/** The storage key prefix of a version's manifests. */
export function manifestPrefix(dandisetId: number, version: string): string {
  return `dandisets/${formatDandisetIdentifier(dandisetId)}/${version}/`;
}

/**
 * DANDI's write_manifest_files: dandiset.yaml, dandiset.jsonld, assets.yaml,
 * assets.jsonld and collection.jsonld under dandisets/{id}/{version}/. Assets
 * are read page by page (ordered by created) and streamed into multipart
 * uploads, so a version of 100,000 assets never sits in memory. Rewrites the
 * same keys when run again.
 */
export async function writeManifestFiles(options: WriteManifestFilesOptions): Promise<{ assets: number } | null> {
  const { db, storage, config, versionId, pageSize = 2000, onProgress } = options;
  const objectUrl = (key: string) => storage.objectUrl(key);
  const version = await db.version.findUnique({ where: { id: versionId }, include: { dandiset: true } });
  if (!version) return null;
  const prefix = manifestPrefix(version.dandisetId, version.version);
  const embargoed = version.dandiset.embargoStatus !== "OPEN";
  const writer = (name: string, contentType: string) =>
    new ChunkedObjectWriter(storage, prefix + name, { embargoed, contentType, bucket: config.S3_BUCKET });
  const metadata = version.metadata as Record<string, unknown>;

  await storage.putObject(prefix + "dandiset.yaml", formatYamlDocument(metadata), {
    contentType: "text/yaml",
    embargoed,
  });
  await storage.putObject(prefix + "dandiset.jsonld", JSON.stringify(metadata), {
    contentType: "application/ld+json",
    embargoed,
  });

  const assetsYaml = writer("assets.yaml", "text/yaml");
  const assetsJson = writer("assets.jsonld", "application/ld+json");
  const collection = writer("collection.jsonld", "application/ld+json");
  const writers = [assetsYaml, assetsJson, collection];
  let count = 0;
  try {
    await assetsJson.write("[");
    await collection.write(
      `{"@context":${JSON.stringify(metadata["@context"] ?? null)},"id":${JSON.stringify(metadata.id ?? null)},"@type":"prov:Collection","hasMember":[`,
    );
    // The next page is read while this one is serialised: PostgreSQL and Node work side by side.
    let next = readAssetPage(db, versionId, null, pageSize);
    for (;;) {
      const rows = await next;
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      next = readAssetPage(db, versionId, { created: last.va_created, assetId: last.id }, pageSize);
      let yamlChunk = "";
      let jsonChunk = "";
      let memberChunk = "";
      for (const row of rows) {
        const asset = toAssetRecord(row);
        const full = buildFullAssetMetadata({ asset, apiUrl: config.DANDI_API_URL, objectUrl });
        const sep = count === 0 ? "" : ",";
        yamlChunk += formatYamlSequenceItem(full);
        jsonChunk += sep + JSON.stringify(full);
        memberChunk += sep + JSON.stringify(`dandiasset:${asset.assetId}`);
        count++;
      }
      await assetsYaml.write(yamlChunk);
      await assetsJson.write(jsonChunk);
      await collection.write(memberChunk);
      onProgress?.(count);
    }
    if (count === 0) await assetsYaml.write("[]\n");
    await assetsJson.write("]");
    await collection.write("]}");
    await Promise.all([assetsYaml.close(), assetsJson.close(), collection.close()]);
  } catch (err) {
    await Promise.all(writers.map((w) => w.abort()));
    throw err;
  }
  return { assets: count };
}

type TPageRow = TAssetRow & { va_created: string };

/**
 * One page of a version's assets in manifest order (created, then id), after
 * `cursor`. The cursor keeps `created` as PostgreSQL's text: a JS Date would
 * drop the microseconds and repeat rows. The query starts at once, ahead of its
 * use; a failure is handled where the page is awaited, not as an unhandled
 * rejection.
 */
function readAssetPage(
  db: PrismaClient,
  versionId: number,
  cursor: { created: string; assetId: bigint } | null,
  pageSize: number,
): Promise<TPageRow[]> {
  const after: Prisma.Sql = cursor
    ? Prisma.sql`AND (va.created, va.asset_id) > (${cursor.created}::timestamptz, ${cursor.assetId})`
    : Prisma.empty;
  const page = db.$queryRaw<TPageRow[]>`
    SELECT ${assetColumns(true)}, va.created::text AS va_created
    FROM version_assets va JOIN assets a ON a.id = va.asset_id LEFT JOIN asset_blobs b ON b.id = a.blob_id
    WHERE va.version_id = ${versionId} ${after}
    ORDER BY va.created, va.asset_id LIMIT ${pageSize}`;
  page.catch(() => undefined);
  return page;
}
