import { Prisma, type Db, type ZarrArchive } from "@dandi/db";
import { ApiError } from "../errors";
import { canReadDandiset, isAdmin, type Actor } from "../policies";

/** A zarr archive with what its routes decide on: the dandiset's embargo status and owners. */
export interface TZarrRecord extends ZarrArchive {
  embargoStatus: "OPEN" | "EMBARGOED" | "UNEMBARGOING";
  ownerIds: number[];
}

/** DANDI's ZarrArchive.embargoed: its dandiset is EMBARGOED or UNEMBARGOING. */
export function isZarrEmbargoed(zarr: Pick<TZarrRecord, "embargoStatus">): boolean {
  return zarr.embargoStatus !== "OPEN";
}

/**
 * A zarr archive by UUID, limited as DANDI's ZarrViewSet queryset to zarrs of
 * dandisets the caller may see (OPEN, or owned, or any for admins); 404
 * otherwise. `forUpdate` locks the zarr row (call inside a transaction).
 */
export async function findZarr(
  db: Db,
  zarrId: string,
  actor: Actor,
  options: { forUpdate?: boolean } = {},
): Promise<TZarrRecord> {
  const zarr = await db.$queryRaw<ZarrRowWithDandiset[]>`
    SELECT z.id, z.zarr_id::text AS zarr_id, z.dandiset_id, z.name, z.file_count, z.size, z.checksum, z.status,
      z.created, z.modified, d.embargo_status::text AS embargo_status,
      coalesce((SELECT array_agg(o.user_id) FROM dandiset_owners o WHERE o.dandiset_id = d.id), '{}') AS owner_ids
    FROM zarr_archives z JOIN dandisets d ON d.id = z.dandiset_id
    WHERE z.zarr_id = ${zarrId}::uuid
    ${options.forUpdate ? Prisma.sql`FOR UPDATE OF z` : Prisma.empty}`;
  const row = zarr[0];
  if (!row) throw ApiError.notFound();
  const record = toZarrRecord(row);
  if (!canReadDandiset(actor, { embargoStatus: record.embargoStatus }, record.ownerIds)) throw ApiError.notFound();
  return record;
}

export interface ListZarrsOptions {
  actor: Actor;
  dandisetId?: number;
  name?: string;
  offset: number;
  limit: number;
}

/** DANDI's zarr list: visible zarrs, optionally of one dandiset and/or with one name, oldest first. */
export async function listZarrs(db: Db, options: ListZarrsOptions): Promise<{ count: number; zarrs: TZarrRecord[] }> {
  const { actor } = options;
  const filters: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (options.dandisetId !== undefined) filters.push(Prisma.sql`z.dandiset_id = ${options.dandisetId}`);
  if (options.name !== undefined) filters.push(Prisma.sql`z.name = ${options.name}`);
  if (!isAdmin(actor)) {
    const userId = actor?.isActive ? actor.id : null;
    filters.push(Prisma.sql`(d.embargo_status = 'OPEN' OR EXISTS (
      SELECT 1 FROM dandiset_owners o WHERE o.dandiset_id = d.id AND o.user_id = ${userId}))`);
  }
  const where = Prisma.join(filters, " AND ");
  const [countRows, rows] = await Promise.all([
    db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) AS count FROM zarr_archives z JOIN dandisets d ON d.id = z.dandiset_id WHERE ${where}`,
    db.$queryRaw<ZarrRowWithDandiset[]>`
      SELECT z.id, z.zarr_id::text AS zarr_id, z.dandiset_id, z.name, z.file_count, z.size, z.checksum, z.status,
        z.created, z.modified, d.embargo_status::text AS embargo_status, '{}'::int[] AS owner_ids
      FROM zarr_archives z JOIN dandisets d ON d.id = z.dandiset_id
      WHERE ${where}
      ORDER BY z.created, z.id OFFSET ${options.offset} LIMIT ${options.limit}`,
  ]);
  return { count: Number(countRows[0]?.count ?? 0), zarrs: rows.map(toZarrRecord) };
}

interface ZarrRowWithDandiset {
  id: bigint;
  zarr_id: string;
  dandiset_id: number;
  name: string;
  file_count: bigint;
  size: bigint;
  checksum: string | null;
  status: string;
  created: Date;
  modified: Date;
  embargo_status: TZarrRecord["embargoStatus"];
  owner_ids: number[];
}

function toZarrRecord(row: ZarrRowWithDandiset): TZarrRecord {
  return {
    id: row.id,
    zarrId: row.zarr_id,
    dandisetId: row.dandiset_id,
    name: row.name,
    fileCount: row.file_count,
    size: row.size,
    checksum: row.checksum,
    status: row.status,
    created: row.created,
    modified: row.modified,
    embargoStatus: row.embargo_status,
    ownerIds: row.owner_ids,
  };
}
