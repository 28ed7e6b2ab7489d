import { Prisma, type Db, type ZarrArchive } from "@dandi/db";
import { ApiError } from "../errors";
import { assertCanReadDandiset, type Actor } from "../policies";

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
  assertCanReadDandiset(actor, record, record.ownerIds, "hide");
  return record;
}

/** A zarr_archives row joined to its dandiset's embargo status and owners. */
export interface ZarrRowWithDandiset {
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

export function toZarrRecord(row: ZarrRowWithDandiset): TZarrRecord {
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
