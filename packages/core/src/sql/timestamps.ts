import { Prisma, type Db } from "@dandi/db";

/**
 * A UTC instant with PostgreSQL's microsecond precision. A plain Date keeps
 * milliseconds only, so a timestamptz read through Prisma loses its last three
 * digits; the raw statements read timestamps as text (timestampText) and turn
 * them into these, which still behave as Dates everywhere else.
 */
export class PreciseTimestamp extends Date {
  /** Microseconds within the second, 0..999999. */
  readonly microseconds: number;

  /** `text`: "YYYY-MM-DDTHH:MM:SS[.ffffff]" in UTC, as timestampText renders it (a "Z" or "+00:00" may follow). */
  constructor(text: string) {
    const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:Z|\+00:00)?$/.exec(text);
    if (!match) throw new Error(`Not a UTC timestamp: ${text}`);
    const fraction = (match[2] ?? "").padEnd(6, "0");
    super(`${match[1]}.${fraction.slice(0, 3)}Z`);
    this.microseconds = Number(fraction);
  }
}

/** The microseconds within the second of `date`: exact for a PreciseTimestamp, else from its milliseconds. */
export function microsecondsOf(date: Date): number {
  return date instanceof PreciseTimestamp ? date.microseconds : date.getUTCMilliseconds() * 1000;
}

/**
 * `date` as "YYYY-MM-DDTHH:MM:SS.ffffffZ", every digit PostgreSQL stores: the form
 * to send back as a `::timestamptz` parameter (Prisma sends a Date with milliseconds only).
 */
export function timestampParam(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.${String(microsecondsOf(date)).padStart(6, "0")}Z`;
}

/** SQL: a timestamptz column as UTC text with all six fractional digits, for PreciseTimestamp. */
export function timestampText(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
}

/** A timestampText value as a PreciseTimestamp (null stays null). */
export function parseTimestamp(text: string): PreciseTimestamp;
export function parseTimestamp(text: string | null): PreciseTimestamp | null;
export function parseTimestamp(text: string | null): PreciseTimestamp | null {
  return text === null ? null : new PreciseTimestamp(text);
}

/** The timestamp fields (and their columns) of the tables whose Prisma rows reloadTimestamps completes. */
const MODEL_TIMESTAMPS = {
  users: { dateJoined: "date_joined", lastLogin: "last_login" },
  uploads: { created: "created" },
  audit_records: { timestamp: "timestamp" },
  versions: { created: "created", modified: "modified" },
} as const satisfies Record<string, Record<string, string>>;

export type TTimestampTable = keyof typeof MODEL_TIMESTAMPS;

/**
 * Rows of `table` read through Prisma's model API, with their timestamp fields
 * replaced by PreciseTimestamps read in one extra statement by primary key (a
 * Prisma model read hands back millisecond Dates only).
 */
export async function reloadTimestamps<T extends { id: number | bigint }>(
  db: Db,
  table: TTimestampTable,
  rows: T[],
): Promise<T[]> {
  if (rows.length === 0) return rows;
  const columns: Record<string, string> = MODEL_TIMESTAMPS[table];
  const fields = Object.keys(columns);
  const list = Prisma.join(
    fields.map((f) => Prisma.sql`${timestampText(Prisma.raw(`t.${columns[f]}`))} AS ${Prisma.raw(`"${f}"`)}`),
  );
  const ids = rows.map((r) => r.id.toString());
  const found = await db.$queryRaw<Record<string, string | null>[]>`
    SELECT t.id::text AS id, ${list} FROM ${Prisma.raw(table)} t WHERE t.id = ANY(${ids}::bigint[])`;
  const byId = new Map(found.map((r) => [r.id, r]));
  return rows.map((row) => {
    const precise = byId.get(row.id.toString());
    if (!precise) return row;
    const copy: Record<string, unknown> = { ...row };
    for (const f of fields) copy[f] = parseTimestamp(precise[f] ?? null);
    return copy as T;
  });
}
