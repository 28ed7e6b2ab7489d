import { Prisma, type Db, type PrismaClient, type User } from "@dandi/db";
import { ApiError } from "../errors";
import { auditUserColumns } from "../audit";
import { addOutboxJob } from "../outbox/add-outbox-job";
import { ASSET_CHUNK_SIZE } from "../assets/asset-chunk-size";
import { ASSET_WRITE_TRANSACTION } from "../assets/asset-write-transaction";
import { lockDraftVersion } from "../assets/lock-draft-version";
import { MAX_ASSET_PATH_LENGTH, validateAssetPath } from "../assets/validate-asset-path";
import { ancestorPaths, parentPath } from "./ancestor-paths";

/**
 * Set-based file management of a draft's folder tree: moving (renaming) and
 * deleting a file or a whole folder. Whatever the number of files, each is a
 * handful of statements in one transaction: the affected assets are gathered
 * into a temporary table, and every table (assets, version_assets,
 * version_asset_chunks, asset_paths, versions, audit_records, job_outbox) is
 * changed with one statement over it.
 */

export interface ManagePathsVersion {
  id: number;
  dandisetId: number;
}

export interface MoveAssetPathsOptions {
  user: User;
  version: ManagePathsVersion;
  /** The file or folder to move ('a/b.nwb' or 'a'); a trailing '/' is ignored. */
  source: string;
  /** Its new full path ('c/b.nwb' or 'x/a'); missing folders are created. */
  destination: string;
}

export interface DeleteAssetPathsOptions {
  user: User;
  version: ManagePathsVersion;
  /** The file or folder to delete; a trailing '/' is ignored. */
  path: string;
}

export interface TManagePathsResult {
  /** Number of assets moved or deleted. */
  count: number;
  /** Their total size in bytes. */
  size: bigint;
  /** The job_outbox rows to drain after the commit (validation and assetsSummary of the draft). */
  outboxIds: bigint[];
}

/** The temporary table of one operation (dropped at commit). */
const TEMP = Prisma.raw("managed_assets");

const trimSlashes = (p: string) => p.replace(/\/+$/, "");

/** The version_assets rows at `path` (a file) or below it (a folder): an index range on (version_id, path). */
const atOrBelow = (versionId: number, path: string) => Prisma.sql`
  va.version_id = ${versionId} AND (va.path = ${path} OR (va.path > ${`${path}/`} AND va.path < ${`${path}0`}))`;

/** The asset_paths row of `path` (a file's leaf or a folder with its aggregates), or null. */
async function findNode(tx: Db, versionId: number, path: string) {
  const rows = await tx.$queryRaw<{ asset_id: bigint | null; aggregate_files: bigint; aggregate_size: bigint }[]>`
    SELECT asset_id, aggregate_files, aggregate_size FROM asset_paths WHERE version_id = ${versionId} AND path = ${path}`;
  return rows[0] ?? null;
}

/**
 * Takes the counts of a subtree (files, size) off each folder that contained it
 * and deletes the folders left empty. Two statements.
 */
async function detachFromAncestors(tx: Db, versionId: number, path: string, files: bigint, size: bigint) {
  const folders = ancestorPaths(path);
  if (folders.length === 0) return;
  await tx.$executeRaw`
    UPDATE asset_paths SET aggregate_files = aggregate_files - ${files}, aggregate_size = aggregate_size - ${size}
    WHERE version_id = ${versionId} AND path = ANY(${folders}::text[])`;
  await tx.$executeRaw`
    DELETE FROM asset_paths WHERE version_id = ${versionId} AND path = ANY(${folders}::text[]) AND aggregate_files <= 0`;
}

/**
 * Lowers the count of each version_asset_chunks row by the number of gathered
 * assets it holds (their version_assets rows must still exist) and drops the
 * chunks left empty. Two statements.
 */
async function unchunkGathered(tx: Db, versionId: number) {
  await tx.$executeRaw`
    UPDATE version_asset_chunks ch SET count = ch.count - d.n
    FROM (
      SELECT c.id, count(*)::int AS n
      FROM ${TEMP} m
      JOIN version_assets r ON r.version_id = ${versionId} AND r.asset_id = m.old_id
      CROSS JOIN LATERAL (
        SELECT c2.id FROM version_asset_chunks c2
        WHERE c2.version_id = ${versionId} AND (c2.first_created, c2.first_asset_id) <= (r.created, r.asset_id)
        ORDER BY c2.first_created DESC, c2.first_asset_id DESC LIMIT 1
      ) c
      GROUP BY c.id
    ) d
    WHERE ch.id = d.id`;
  await tx.$executeRaw`DELETE FROM version_asset_chunks WHERE version_id = ${versionId} AND count <= 0`;
}

/**
 * Re-chunks the version's assets from the chunk holding the smallest new key
 * onward (new assets sort last in the common case, so this is the tail only).
 * Three statements.
 */
async function rechunkFromNew(tx: Db, versionId: number) {
  const bound = await tx.$queryRaw<{ created: string; asset_id: bigint }[]>`
    WITH lo AS (
      -- The new assets were made by one INSERT, so they share its created (now()): the smallest id is the smallest key.
      SELECT a.created, a.id AS asset_id FROM assets a WHERE a.id = (SELECT min(new_id) FROM ${TEMP}))
    SELECT ch.first_created::text AS created, ch.first_asset_id AS asset_id
    FROM version_asset_chunks ch, lo
    WHERE ch.version_id = ${versionId} AND (ch.first_created, ch.first_asset_id) <= (lo.created, lo.asset_id)
    ORDER BY ch.first_created DESC, ch.first_asset_id DESC LIMIT 1`;
  // No chunk at or before the new keys: rebuild them all.
  const from = bound[0]
    ? Prisma.sql`(${bound[0].created}::timestamptz, ${bound[0].asset_id}::bigint)`
    : Prisma.sql`('-infinity'::timestamptz, 0::bigint)`;
  await tx.$executeRaw`
    DELETE FROM version_asset_chunks WHERE version_id = ${versionId} AND (first_created, first_asset_id) >= ${from}`;
  await tx.$executeRaw`
    INSERT INTO version_asset_chunks (version_id, first_created, first_asset_id, count)
    SELECT ${versionId}, created, asset_id, least(${ASSET_CHUNK_SIZE}, total - rn)
    FROM (
      SELECT created, asset_id, row_number() OVER (ORDER BY created, asset_id) - 1 AS rn, count(*) OVER () AS total
      FROM version_assets WHERE version_id = ${versionId} AND (created, asset_id) >= ${from}
    ) s
    WHERE rn % ${ASSET_CHUNK_SIZE} = 0`;
}

/** The draft goes back to Pending (validated again) and its assetsSummary is recomputed, through the outbox. */
async function queueDraftFollowUps(tx: Db, versionId: number): Promise<bigint[]> {
  return [
    await addOutboxJob(tx as Prisma.TransactionClient, "validateVersion", { versionId }),
    await addOutboxJob(tx as Prisma.TransactionClient, "aggregateAssetsSummary", { versionId }),
  ];
}

/**
 * Moves (renames) a file or a folder of a draft, with every file below it, in
 * one transaction. Assets are immutable: each moved file becomes a new asset
 * (new asset_id, same blob or zarr, same metadata, status Pending) that replaces
 * the old one in the draft, as DANDI's PUT of an asset with a new path does, and
 * gets an `update_asset` audit record naming the previous asset. The folder
 * tree keeps its aggregates: the subtree's rows are renamed in place, its counts
 * leave the old ancestors and join the new ones (created when missing).
 *
 * 404 when nothing is at `source`; 400 for an invalid destination, the same
 * path, or a folder moved into itself; 409 when a file or folder exists at
 * `destination` or one of its folders is a file; 405 unless the version is the
 * draft (checked under the version lock).
 */
export async function moveAssetPaths(db: PrismaClient, options: MoveAssetPathsOptions): Promise<TManagePathsResult> {
  const { user, version } = options;
  const source = trimSlashes(options.source);
  const destination = trimSlashes(options.destination);
  validateAssetPath(destination);
  if (source === "") throw ApiError.fields({ source: ["This field may not be blank."] });
  if (source === destination) throw ApiError.detail(400, "The destination is the same as the source.");
  if (destination.startsWith(`${source}/`)) {
    throw ApiError.detail(400, `Cannot move "${source}" into itself.`);
  }
  const versionId = version.id;
  return db.$transaction(async (tx) => {
    await lockDraftVersion(tx, versionId);
    const node = await findNode(tx, versionId, source);
    if (!node) throw ApiError.notFound(`No file or folder at ${source}`);
    if (await findNode(tx, versionId, destination)) {
      throw ApiError.detail(409, `A file or folder already exists at ${destination}`);
    }
    const folders = ancestorPaths(destination);
    const fileAncestor = await tx.$queryRaw<{ path: string }[]>`
      SELECT path FROM asset_paths
      WHERE version_id = ${versionId} AND path = ANY(${folders}::text[]) AND asset_id IS NOT NULL
      ORDER BY path LIMIT 1`;
    if (fileAncestor[0]) {
      throw ApiError.detail(409, `Cannot create the folder ${fileAncestor[0].path}: a file exists at that path`);
    }

    // The moved assets, each with its new path and the id and UUID of the asset that replaces it.
    await tx.$executeRaw`
      CREATE TEMP TABLE ${TEMP} ON COMMIT DROP AS
      SELECT va.asset_id AS old_id, va.path AS old_path,
             ${destination} || substr(va.path, ${source.length + 1}) AS new_path,
             nextval(pg_get_serial_sequence('assets', 'id')) AS new_id, gen_random_uuid() AS new_uuid
      FROM version_assets va WHERE ${atOrBelow(versionId, source)}`;
    // Temporary tables get no statistics by themselves: without them the joins below are planned as nested loops.
    await tx.$executeRaw`ANALYZE ${TEMP}`;
    const [stats] = await tx.$queryRaw<{ count: bigint; longest: number | null }[]>`
      SELECT count(*) AS count, max(length(new_path)) AS longest FROM ${TEMP}`;
    const longest = stats?.longest ?? 0;
    if (longest > MAX_ASSET_PATH_LENGTH) {
      throw ApiError.fields({
        destination: [`A moved path would have ${longest} characters; at most ${MAX_ASSET_PATH_LENGTH} are allowed.`],
      });
    }

    await unchunkGathered(tx, versionId);
    await tx.$executeRaw`
      DELETE FROM version_assets va USING ${TEMP} m WHERE va.version_id = ${versionId} AND va.asset_id = m.old_id`;
    await tx.$executeRaw`
      INSERT INTO assets (id, asset_id, path, blob_id, zarr_id, metadata, status)
      SELECT m.new_id, m.new_uuid, m.new_path, a.blob_id, a.zarr_id, a.metadata, 'Pending'
      FROM ${TEMP} m JOIN assets a ON a.id = m.old_id`;
    await tx.$executeRaw`
      INSERT INTO version_assets (version_id, asset_id, path, created)
      SELECT ${versionId}, a.id, a.path, a.created FROM ${TEMP} m JOIN assets a ON a.id = m.new_id`;
    await rechunkFromNew(tx, versionId);

    // The tree: counts leave the old folders and join the new ones, then the subtree is renamed.
    await detachFromAncestors(tx, versionId, source, node.aggregate_files, node.aggregate_size);
    if (folders.length > 0) {
      await tx.$executeRaw`
        INSERT INTO asset_paths (version_id, path, parent, asset_id, aggregate_files, aggregate_size)
        SELECT ${versionId}, f.path, f.parent, NULL, ${node.aggregate_files}, ${node.aggregate_size}
        FROM unnest(${folders}::text[], ${folders.map(parentPath)}::text[]) AS f(path, parent)
        ON CONFLICT (version_id, path) DO UPDATE
          SET aggregate_files = asset_paths.aggregate_files + EXCLUDED.aggregate_files,
              aggregate_size = asset_paths.aggregate_size + EXCLUDED.aggregate_size`;
    }
    const newPath = Prisma.sql`${destination} || substr(p.path, ${source.length + 1})`;
    await tx.$executeRaw`
      UPDATE asset_paths p
      SET path = ${newPath},
          parent = CASE WHEN p.path = ${source} THEN ${parentPath(destination)}
                        ELSE ${destination} || substr(p.parent, ${source.length + 1}) END,
          asset_id = coalesce(m.new_id, p.asset_id)
      FROM asset_paths q LEFT JOIN ${TEMP} m ON m.old_id = q.asset_id
      WHERE q.id = p.id AND p.version_id = ${versionId}
        AND (p.path = ${source} OR (p.path > ${`${source}/`} AND p.path < ${`${source}0`}))`;

    await tx.$executeRaw`UPDATE versions SET status = 'Pending', modified = now() WHERE id = ${versionId}`;
    await tx.$executeRaw`
      INSERT INTO audit_records (dandiset_id, username, user_email, user_fullname, record_type, details)
      SELECT ${version.dandisetId}, ${Prisma.join(auditUserColumns(user))}, 'update_asset',
        jsonb_build_object(
          'path', m.new_path, 'asset_blob_id', b.blob_id, 'zarr_archive_id', z.zarr_id,
          'asset_id', m.new_uuid, 'previous_asset_id', a.asset_id,
          'checksum', coalesce(b.etag, z.checksum), 'metadata', a.metadata)
      FROM ${TEMP} m JOIN assets a ON a.id = m.old_id
      LEFT JOIN asset_blobs b ON b.id = a.blob_id LEFT JOIN zarr_archives z ON z.id = a.zarr_id
      ORDER BY m.new_path`;
    const outboxIds = await queueDraftFollowUps(tx, versionId);
    return { count: Number(stats?.count ?? 0), size: node.aggregate_size, outboxIds };
  }, ASSET_WRITE_TRANSACTION);
}

/**
 * Deletes a file or a folder with every file below it from a draft, in one
 * transaction: the version_assets links (the asset rows stay: published
 * versions may share them), the subtree of the folder tree and its counts on
 * the ancestors, the version's asset_count and size, and one `remove_asset`
 * audit record per file. 404 when nothing is at `path`; 405 unless the draft.
 */
export async function deleteAssetPaths(
  db: PrismaClient,
  options: DeleteAssetPathsOptions,
): Promise<TManagePathsResult> {
  const { user, version } = options;
  const path = trimSlashes(options.path);
  if (path === "") throw ApiError.fields({ path: ["This field may not be blank."] });
  const versionId = version.id;
  return db.$transaction(async (tx) => {
    await lockDraftVersion(tx, versionId);
    const node = await findNode(tx, versionId, path);
    if (!node) throw ApiError.notFound(`No file or folder at ${path}`);
    await tx.$executeRaw`
      CREATE TEMP TABLE ${TEMP} ON COMMIT DROP AS
      SELECT va.asset_id AS old_id, va.path AS old_path FROM version_assets va WHERE ${atOrBelow(versionId, path)}`;
    await tx.$executeRaw`ANALYZE ${TEMP}`;
    await unchunkGathered(tx, versionId);
    const removed = await tx.$executeRaw`
      DELETE FROM version_assets va USING ${TEMP} m WHERE va.version_id = ${versionId} AND va.asset_id = m.old_id`;
    await tx.$executeRaw`
      DELETE FROM asset_paths
      WHERE version_id = ${versionId} AND (path = ${path} OR (path > ${`${path}/`} AND path < ${`${path}0`}))`;
    await detachFromAncestors(tx, versionId, path, node.aggregate_files, node.aggregate_size);
    await tx.$executeRaw`
      UPDATE versions
      SET asset_count = asset_count - ${removed}, size = size - ${node.aggregate_size}, status = 'Pending', modified = now()
      WHERE id = ${versionId}`;
    await tx.$executeRaw`
      INSERT INTO audit_records (dandiset_id, username, user_email, user_fullname, record_type, details)
      SELECT ${version.dandisetId}, ${Prisma.join(auditUserColumns(user))}, 'remove_asset',
        jsonb_build_object('path', m.old_path, 'asset_id', a.asset_id)
      FROM ${TEMP} m JOIN assets a ON a.id = m.old_id
      ORDER BY m.old_path`;
    const outboxIds = await queueDraftFollowUps(tx, versionId);
    return { count: removed, size: node.aggregate_size, outboxIds };
  }, ASSET_WRITE_TRANSACTION);
}
