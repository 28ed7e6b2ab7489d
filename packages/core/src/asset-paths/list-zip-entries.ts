import type { Db } from "@dandi/db";
import { ApiError } from "../errors";

export interface ListZipEntriesOptions {
  versionId: number;
  /** The folder (or file) to download; '' is the whole version. A trailing '/' is ignored. */
  path: string;
  maxFiles: number;
  maxBytes: number;
}

export interface TZipEntry {
  /** The asset's path in the version. */
  path: string;
  /** Storage key of its blob. */
  key: string;
  size: bigint;
  sha256: string | null;
}

/**
 * The files of a folder (or of the whole version) to stream as one zip, in path
 * order, after checking the caps on the folder tree's aggregates (one index
 * lookup, so a huge folder is refused without listing it). 404 when nothing is
 * at `path`; 400 over `maxFiles` or `maxBytes`, or when the selection holds a
 * Zarr archive (those are many objects and are downloaded with the dandi CLI).
 */
export async function listZipEntries(db: Db, options: ListZipEntriesOptions): Promise<TZipEntry[]> {
  const { versionId, maxFiles, maxBytes } = options;
  const path = options.path.replace(/\/+$/, "");
  const totals =
    path === ""
      ? await db.$queryRaw<{ files: bigint; size: bigint }[]>`
          SELECT asset_count::bigint AS files, size FROM versions WHERE id = ${versionId}`
      : await db.$queryRaw<{ files: bigint; size: bigint }[]>`
          SELECT aggregate_files AS files, aggregate_size AS size FROM asset_paths
          WHERE version_id = ${versionId} AND path = ${path}`;
  const total = totals[0];
  if (!total) throw ApiError.notFound(`No file or folder at ${path}`);
  const what = path === "" ? "This version" : `"${path}"`;
  if (total.files > BigInt(maxFiles)) {
    throw ApiError.detail(400, `${what} holds ${total.files} files; a zip download is limited to ${maxFiles}.`);
  }
  if (total.size > BigInt(maxBytes)) {
    throw ApiError.detail(400, `${what} holds ${total.size} bytes; a zip download is limited to ${maxBytes}.`);
  }
  const range =
    path === ""
      ? db.$queryRaw<{ path: string; key: string | null; size: bigint | null; sha256: string | null }[]>`
          SELECT va.path, b.key, b.size, b.sha256 FROM version_assets va
          JOIN assets a ON a.id = va.asset_id LEFT JOIN asset_blobs b ON b.id = a.blob_id
          WHERE va.version_id = ${versionId} ORDER BY va.path`
      : db.$queryRaw<{ path: string; key: string | null; size: bigint | null; sha256: string | null }[]>`
          SELECT va.path, b.key, b.size, b.sha256 FROM version_assets va
          JOIN assets a ON a.id = va.asset_id LEFT JOIN asset_blobs b ON b.id = a.blob_id
          WHERE va.version_id = ${versionId}
            AND (va.path = ${path} OR (va.path > ${`${path}/`} AND va.path < ${`${path}0`}))
          ORDER BY va.path`;
  const rows = await range;
  const zarrs = rows.filter((r) => r.key === null).map((r) => r.path);
  if (zarrs.length > 0) {
    const shown = zarrs.slice(0, 5).join(", ");
    throw ApiError.detail(
      400,
      `${what} contains Zarr archives (${shown}${zarrs.length > 5 ? ", ..." : ""}), which cannot be downloaded ` +
        "as a zip; download them with the dandi CLI.",
    );
  }
  return rows.map((r) => ({ path: r.path, key: r.key!, size: r.size!, sha256: r.sha256 }));
}
