import { Prisma, type Db } from "@dandi/db";
import { ApiError } from "../errors";
import { assetColumns, toAssetRecord, type TAssetRecord, type TAssetRow } from "../assets/asset-record";

export interface ListAtPathOptions {
  versionId: number;
  /** '' is the root; a trailing "/" means the path must be a folder. */
  path: string;
  /** Whether a folder's direct children follow it (the root: whether anything is listed). */
  children: boolean;
  /** Whether asset entries carry their metadata (for the full metadata). */
  withMetadata: boolean;
  offset: number;
  limit: number;
}

/** One entry: an asset (a file) or a folder with its aggregates. */
export interface TAtPathEntry {
  path: string;
  aggregateFiles: bigint;
  aggregateSize: bigint;
  asset: TAssetRecord | null;
}

type TNodeRow = Omit<TAssetRow, "id" | "path"> & {
  id: bigint | null;
  path: string | null;
  node_path: string;
  aggregate_files: bigint;
  aggregate_size: bigint;
};

function toEntry(row: TNodeRow): TAtPathEntry {
  return {
    path: row.node_path,
    aggregateFiles: row.aggregate_files,
    aggregateSize: row.aggregate_size,
    asset: row.id === null ? null : toAssetRecord(row as TAssetRow),
  };
}

/** asset_paths rows (aliased p, pre-filtered by `from`) joined to their assets and blobs. */
function nodeQuery(from: Prisma.Sql, withMetadata: boolean): Prisma.Sql {
  return Prisma.sql`
    SELECT p.path AS node_path, p.aggregate_files, p.aggregate_size, ${assetColumns(withMetadata)}
    FROM (${from}) p
    LEFT JOIN assets a ON a.id = p.asset_id
    LEFT JOIN asset_blobs b ON b.id = a.blob_id
    ORDER BY p.path`;
}

/**
 * DANDI's webdav "atpath" lookup, one page of it, from the materialised folder
 * tree (asset_paths): the root's direct children (only with `children`), or the
 * entry at `path`, followed by its direct children when it is a folder and
 * `children` is set. Everything is an index lookup on (version_id, path) or
 * (version_id, parent, path), so a folder of a million-asset version answers in
 * milliseconds. 404 "Folder or asset not found at X" for a missing path and
 * "Folder not found at X" for a file asked for with a trailing slash.
 */
export async function listAtPath(
  db: Db,
  options: ListAtPathOptions,
): Promise<{ count: number; entries: TAtPathEntry[] }> {
  const { versionId, withMetadata, offset, limit } = options;
  const mustBeFolder = options.path.endsWith("/");
  const path = options.path.replace(/\/+$/, "");

  const childrenPage = (childOffset: number, childLimit: number) =>
    db.$queryRaw<TNodeRow[]>(
      nodeQuery(
        Prisma.sql`SELECT path, asset_id, aggregate_files, aggregate_size FROM asset_paths
          WHERE version_id = ${versionId} AND parent = ${path}
          ORDER BY path OFFSET ${childOffset} LIMIT ${childLimit}`,
        withMetadata,
      ),
    );
  const countChildren = () =>
    db.$queryRaw<{ count: bigint }[]>`
        SELECT count(*) AS count FROM asset_paths WHERE version_id = ${versionId} AND parent = ${path}`.then((rows) =>
      Number(rows[0]?.count ?? 0),
    );

  if (path === "") {
    if (!options.children) return { count: 0, entries: [] };
    const [count, rows] = await Promise.all([countChildren(), childrenPage(offset, limit)]);
    return { count, entries: rows.map(toEntry) };
  }

  // The entry itself sorts before its children (its path is their prefix), so
  // the page is [entry, children...] cut at offset/limit. A file has no
  // children rows, so the three lookups can run at once.
  const withChildren = options.children;
  const [nodeRows, childCount, childRows] = await Promise.all([
    db.$queryRaw<TNodeRow[]>(
      nodeQuery(
        Prisma.sql`SELECT path, asset_id, aggregate_files, aggregate_size FROM asset_paths
          WHERE version_id = ${versionId} AND path = ${path}`,
        withMetadata,
      ),
    ),
    withChildren ? countChildren() : Promise.resolve(0),
    withChildren && limit - (offset === 0 ? 1 : 0) > 0
      ? childrenPage(Math.max(0, offset - 1), limit - (offset === 0 ? 1 : 0))
      : Promise.resolve([]),
  ]);
  const node = nodeRows[0];
  if (!node) throw ApiError.notFound(`Folder or asset not found at ${path}`);
  if (mustBeFolder && node.id !== null) throw ApiError.notFound(`Folder not found at ${path}`);
  const entries = [...(offset === 0 ? [node] : []), ...childRows].map(toEntry);
  return { count: 1 + childCount, entries };
}
