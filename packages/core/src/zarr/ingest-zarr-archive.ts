import type { Db, PrismaClient } from "@dandi/db";
import { ancestorPaths } from "../asset-paths/ancestor-paths";
import { ASSET_WRITE_TRANSACTION } from "../assets/asset-write-transaction";
import { lockDraftVersion } from "../assets/lock-draft-version";
import { zarrKeyPrefix, type Storage } from "../storage/storage";
import { ZarrChecksumBuilder, type ZarrDirectoryDigest } from "./zarr-checksum";

export interface IngestZarrArchiveOptions {
  db: PrismaClient;
  storage: Pick<Storage, "listObjects">;
  /** The zarr's public UUID (zarr_archives.zarr_id). */
  zarrId: string;
  /** Objects per listing request (S3's MaxKeys; at most 1000). */
  pageSize?: number;
}

export type TIngestZarrArchiveResult =
  | { status: "missing" }
  /** Not finalized (Pending), or already Complete: nothing to do. */
  | { status: "not-uploaded"; zarrStatus: string }
  | {
      status: "complete";
      checksum: string;
      fileCount: number;
      size: number;
      /** The zarr's unpublished assets, now Pending (to be validated). */
      pendingAssetIds: bigint[];
      /** The dandiset's draft, now Pending. */
      draftVersionId: number | null;
    };

/**
 * DANDI's ingest_zarr_archive: claims a finalized zarr (Uploaded → Ingesting),
 * lists its files page by page and computes the zarr checksum, file count and
 * size (memory bounded by the open folders of the listing, not the file count),
 * then in one transaction sets the zarr Complete, moves the size change of its
 * unpublished draft assets into the folder tree aggregates and the draft's
 * size, and sets those assets and the draft back to Pending.
 *
 * Safe to retry: a zarr left Ingesting by a failed attempt is claimed again
 * (files cannot change while it is Uploaded or Ingesting), and a run that finds
 * the zarr no longer Ingesting when it commits changes nothing.
 */
export async function ingestZarrArchive(options: IngestZarrArchiveOptions): Promise<TIngestZarrArchiveResult> {
  const { db, storage, zarrId } = options;
  const zarr = await db.zarrArchive.findUnique({ where: { zarrId }, select: { id: true, status: true } });
  if (!zarr) return { status: "missing" };
  const claimed = await db.zarrArchive.updateMany({
    where: { id: zarr.id, status: { in: ["Uploaded", "Ingesting"] } },
    data: { status: "Ingesting", checksum: null, modified: new Date() },
  });
  if (claimed.count === 0) return { status: "not-uploaded", zarrStatus: zarr.status };

  // Listed outside the transaction, as DANDI does, so no lock is held while storage answers.
  // A long listing keeps `modified` fresh, so the sweep does not take the zarr for stuck.
  const heartbeat = () =>
    db.zarrArchive.updateMany({ where: { id: zarr.id, status: "Ingesting" }, data: { modified: new Date() } });
  const digest = await checksumZarrFiles(storage, zarrKeyPrefix(zarrId), options.pageSize ?? 1000, heartbeat);

  return db.$transaction(async (tx) => {
    const draft = await tx.$queryRaw<{ id: number }[]>`
      SELECT v.id FROM versions v JOIN zarr_archives z ON z.dandiset_id = v.dandiset_id
      WHERE z.id = ${zarr.id} AND v.version = 'draft'`;
    const draftVersionId = draft[0]?.id ?? null;
    // Asset writes lock the draft first; take the locks in the same order.
    if (draftVersionId !== null) await lockDraftVersion(tx, draftVersionId);
    const locked = await tx.$queryRaw<{ status: string }[]>`
      SELECT status FROM zarr_archives WHERE id = ${zarr.id} FOR UPDATE`;
    if (locked[0]?.status !== "Ingesting")
      return { status: "not-uploaded", zarrStatus: locked[0]?.status ?? "missing" };

    const now = new Date();
    await tx.zarrArchive.update({
      where: { id: zarr.id },
      data: {
        checksum: digest.digest,
        fileCount: BigInt(digest.count),
        size: BigInt(digest.size),
        status: "Complete",
        modified: now,
      },
    });
    await resizeDraftZarrAssets(tx, zarr.id, BigInt(digest.size));
    if (draftVersionId !== null) {
      await tx.version.update({ where: { id: draftVersionId }, data: { status: "Pending", modified: now } });
    }
    const pending = await tx.$queryRaw<{ id: bigint }[]>`
      UPDATE assets SET status = 'Pending', modified = ${now}
      WHERE zarr_id = ${zarr.id} AND published = false RETURNING id`;
    return {
      status: "complete",
      checksum: digest.digest,
      fileCount: digest.count,
      size: digest.size,
      pendingAssetIds: pending.map((a) => a.id),
      draftVersionId,
    } as const;
  }, ASSET_WRITE_TRANSACTION);
}

/** Pages between two heartbeats of a long listing. */
const HEARTBEAT_PAGES = 100;

/** Lists every object under the prefix in storage order and folds it into the checksum. */
async function checksumZarrFiles(
  storage: Pick<Storage, "listObjects">,
  prefix: string,
  pageSize: number,
  heartbeat: () => Promise<unknown>,
): Promise<ZarrDirectoryDigest> {
  const builder = new ZarrChecksumBuilder();
  let startAfter: string | undefined;
  for (let pages = 1; ; pages++) {
    if (pages % HEARTBEAT_PAGES === 0) await heartbeat();
    const page = await storage.listObjects(prefix, { startAfter, maxKeys: pageSize });
    for (const object of page.objects) {
      builder.add({ path: object.key.slice(prefix.length), size: object.size, md5: object.etag });
    }
    const last = page.objects.at(-1);
    if (!page.isTruncated || !last) break;
    startAfter = last.key;
  }
  return builder.digest();
}

/**
 * The folder tree records each file's size at the time it was added; a zarr's
 * size changes when it is ingested. For each draft leaf of the zarr's
 * unpublished assets, the difference goes onto the leaf, every folder above it
 * and the version's size (DANDI's delete_zarr_paths + add_zarr_paths).
 */
async function resizeDraftZarrAssets(tx: Db, zarrPk: bigint, size: bigint): Promise<void> {
  const leaves = await tx.$queryRaw<{ version_id: number; path: string; delta: bigint }[]>`
    SELECT ap.version_id, ap.path, ${size}::bigint - ap.aggregate_size AS delta
    FROM assets a
    JOIN version_assets va ON va.asset_id = a.id
    JOIN versions v ON v.id = va.version_id AND v.version = 'draft'
    JOIN asset_paths ap ON ap.version_id = va.version_id AND ap.path = va.path AND ap.asset_id = a.id
    WHERE a.zarr_id = ${zarrPk} AND a.published = false AND ap.aggregate_size <> ${size}::bigint`;
  for (const { version_id: versionId, path, delta } of leaves) {
    const paths = [...ancestorPaths(path), path];
    await tx.$executeRaw`
      UPDATE asset_paths SET aggregate_size = aggregate_size + ${delta}
      WHERE version_id = ${versionId} AND path = ANY(${paths}::text[])`;
    await tx.$executeRaw`UPDATE versions SET size = size + ${delta} WHERE id = ${versionId}`;
  }
}
