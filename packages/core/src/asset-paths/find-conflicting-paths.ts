import type { Db } from "@dandi/db";
import { ancestorPaths } from "./ancestor-paths";

/** At most this many paths are named in a folder-conflict error (a folder may hold millions). */
const MAX_REPORTED = 100;

/**
 * Existing paths that a new file at `path` would clash with, as DANDI: if `path`
 * is a folder, the paths below it; otherwise any ancestor that is a file.
 */
export async function findConflictingPaths(db: Db, versionId: number, path: string): Promise<string[]> {
  const folder = await db.$queryRaw<{ path: string }[]>`
    SELECT path FROM asset_paths WHERE version_id = ${versionId} AND path = ${path} AND asset_id IS NULL`;
  if (folder.length > 0) {
    const below = await db.$queryRaw<{ path: string }[]>`
      SELECT path FROM asset_paths
      WHERE version_id = ${versionId} AND path > ${`${path}/`} AND path < ${`${path}0`}
      ORDER BY path LIMIT ${MAX_REPORTED}`;
    return below.map((r) => r.path);
  }
  const folders = ancestorPaths(path);
  if (folders.length === 0) return [];
  const files = await db.$queryRaw<{ path: string }[]>`
    SELECT path FROM asset_paths
    WHERE version_id = ${versionId} AND path = ANY(${folders}::text[]) AND asset_id IS NOT NULL
    ORDER BY path`;
  return files.map((r) => r.path);
}
