import { Prisma } from "@dandi/db";

/**
 * A raw SELECT list that reads a Prisma model's fields from table alias `alias`
 * (`d.embargo_status AS "embargoStatus", ...`), so a $queryRaw row has the
 * model's shape. Pass a Record<keyof Model, column>: a field added to the model
 * then fails to compile until its column is listed.
 */
export function selectModelColumns(alias: string, columns: Record<string, string>): Prisma.Sql {
  return Prisma.raw(
    Object.entries(columns)
      .map(([field, column]) => `${alias}.${column} AS "${field}"`)
      .join(", "),
  );
}
