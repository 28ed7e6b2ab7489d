import { Prisma, type Db } from "@dandi/db";
import { readableDandisetSql, type Actor } from "../policies";
import { toZarrRecord, type TZarrRecord, type ZarrRowWithDandiset } from "./find-zarr";

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
  filters.push(readableDandisetSql(actor));
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
