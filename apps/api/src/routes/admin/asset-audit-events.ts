import { Prisma, type PrismaClient } from "@dandi/db";

/** The record types DANDI's asset audit feed returns. */
const ASSET_RECORD_TYPES = ["add_asset", "update_asset", "remove_asset", "bulk_remove_assets"];

/** A position in the feed: the (timestamp, id) of a row, and which way to read from it. */
export interface TAuditCursor {
  /** Timestamp as PostgreSQL renders it (microseconds kept, unlike a JS Date). */
  ts: string;
  id: string;
  /** "n": rows after the position; "p": rows before it. */
  dir: "n" | "p";
}

export interface ListAssetAuditEventsOptions {
  prisma: PrismaClient;
  before?: Date;
  after?: Date;
  reverse: boolean;
  pageSize: number;
  cursor?: TAuditCursor;
}

export interface TAssetAuditRow {
  id: bigint;
  dandiset_id: number;
  ts: string;
  record_type: string;
  details: Record<string, unknown>;
}

/**
 * One page of DANDI's asset audit feed (`/api/audit/events/asset`): keyset
 * pagination over (timestamp, id), ascending unless `reverse`. Returns the rows
 * and whether more exist beyond each end of the page.
 */
export async function listAssetAuditEvents(
  options: ListAssetAuditEventsOptions,
): Promise<{ rows: TAssetAuditRow[]; hasNext: boolean; hasPrevious: boolean }> {
  const { prisma, before, after, reverse, pageSize, cursor } = options;
  const backwards = cursor?.dir === "p";
  // Reading backwards flips the order; the page is put back in feed order below.
  const descending = reverse !== backwards;
  const conditions = [Prisma.sql`record_type IN (${Prisma.join(ASSET_RECORD_TYPES)})`];
  if (before) conditions.push(Prisma.sql`timestamp <= ${before}`);
  if (after) conditions.push(Prisma.sql`timestamp >= ${after}`);
  if (cursor) {
    const key = Prisma.sql`(${cursor.ts}::timestamptz, ${BigInt(cursor.id)})`;
    conditions.push(descending ? Prisma.sql`(timestamp, id) < ${key}` : Prisma.sql`(timestamp, id) > ${key}`);
  }
  const order = descending ? Prisma.sql`timestamp DESC, id DESC` : Prisma.sql`timestamp ASC, id ASC`;
  const rows = await prisma.$queryRaw<TAssetAuditRow[]>`
    SELECT id, dandiset_id, record_type, details,
           to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS ts
    FROM audit_records
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY ${order}
    LIMIT ${pageSize + 1}`;
  const more = rows.length > pageSize;
  const page = more ? rows.slice(0, pageSize) : rows;
  if (backwards) page.reverse();
  return {
    rows: page,
    hasNext: backwards ? true : more,
    hasPrevious: backwards ? more : !!cursor,
  };
}
