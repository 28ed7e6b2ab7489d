import { Prisma } from "@dandi/db";
import { parseTimestamp, timestampText } from "./timestamps";

/**
 * A raw SELECT list that reads a Prisma model's fields from table alias `alias`
 * (`d.embargo_status AS "embargoStatus", ...`), so a $queryRaw row has the
 * model's shape. Pass a Record<keyof Model, column>: a field added to the model
 * then fails to compile until its column is listed.
 */
export function selectModelColumns(
  alias: string,
  columns: Record<string, string>,
  /** Timestamp fields, read as timestampText: pass the row through reviveTimestamps. */
  timestamps: readonly string[] = [],
): Prisma.Sql {
  return Prisma.join(
    Object.entries(columns).map(([field, column]) => {
      const source = Prisma.raw(`${alias}.${column}`);
      return Prisma.sql`${timestamps.includes(field) ? timestampText(source) : source} AS ${Prisma.raw(`"${field}"`)}`;
    }),
  );
}

/** A row read with selectModelColumns: its timestampText fields as PreciseTimestamps (null stays null). */
export function reviveTimestamps<T extends object>(row: T, timestamps: readonly string[]): T {
  const fields = row as Record<string, unknown>;
  for (const field of timestamps) fields[field] = parseTimestamp(fields[field] as string | null);
  return row;
}
