import { Prisma } from "@dandi/db";
import type { ListDandisetsOptions } from "./list-dandisets";
import { planDandisetList } from "./plan-dandiset-list";

const VERSION_COLUMNS = Prisma.sql`v.id, v.version, v.name, v.asset_count, v.size, v.status, v.created, v.modified, v.contact_person`;

/**
 * A timestamp as the API renders it (formatTimestamp, DRF's format), as a JSON string:
 * UTC, six fractional digits, none for a whole second, then Z.
 */
function timestampJson(column: Prisma.Sql): Prisma.Sql {
  // One to_char and a replace cost about what the millisecond rendering did (a CASE on date_trunc cost more).
  return Prisma.sql`'"' || replace(to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '.000000Z', 'Z') || '"'`;
}

/** DandisetVersionSerializer (a version inside a list item) of the row `v`, or null. */
function versionJson(v: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${v}.${name}`);
  return Prisma.sql`CASE WHEN ${col("id")} IS NULL THEN 'null' ELSE
    '{"version":' || to_json(${col("version")}) || ',"name":' || to_json(${col("name")})
    || ',"asset_count":' || ${col("asset_count")} || ',"size":' || ${col("size")}
    || ',"status":' || to_json(${col("status")})
    || ',"created":' || ${timestampJson(col("created"))} || ',"modified":' || ${timestampJson(col("modified"))}
    || '}' END`;
}

/**
 * One DandisetList item of the page row `pg` with its draft `dv` and newest
 * published version `pv`: the fields and key order of presentDandisetListItem,
 * compact as JSON.stringify writes them. to_json escapes strings as JSON.stringify does.
 */
function listItemJson(isStarred: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`'{"identifier":"' || lpad(pg.id::text, greatest(6, length(pg.id::text)), '0')
    || '","created":' || ${timestampJson(Prisma.sql`pg.created`)}
    || ',"modified":' || ${timestampJson(Prisma.sql`pg.modified`)}
    || ',"contact_person":' || to_json(CASE WHEN pv.id IS NULL THEN coalesce(dv.contact_person, '') ELSE coalesce(pv.contact_person, '') END)
    || ',"embargo_status":' || to_json(pg.embargo_status::text)
    || ',"star_count":' || pg.star_count
    || ',"is_starred":' || (${isStarred})::text
    || ',"most_recent_published_version":' || ${versionJson("pv")}
    || ',"draft_version":' || ${versionJson("dv")} || '}'`;
}

/**
 * GET /api/dandisets/ (dandi-api.md §7): the count and one page of DandisetList
 * items rendered as a JSON array's contents by PostgreSQL, in one statement
 * (after the free-text words are resolved to tokens). Building and serialising a
 * 100-item page in Node cost several times the SQL; here the SQL reads the page
 * through the list's index and joins each item's draft and newest published
 * version (the highest id, as DANDI's list) by their unique indexes.
 * Throws SearchSyntaxError for a bad `search`.
 */
export async function listDandisetsJson(
  options: ListDandisetsOptions,
): Promise<{ count: number; resultsJson: string }> {
  const { from, orderBy } = await planDandisetList(options);
  const isStarred = options.user
    ? Prisma.sql`EXISTS (SELECT 1 FROM dandiset_stars s WHERE s.dandiset_id = pg.id AND s.user_id = ${options.user.id})`
    : Prisma.sql`false`;
  // Both versions as LIMITed lateral subqueries: probes of the unique (dandiset_id, version)
  // index for the page's rows. A plain join of the drafts was planned as a hash join
  // over every draft in the archive.
  // row_number() over the page's own order keeps the order through the joins; the
  // window streams, so the scan still stops after offset + limit rows.
  const items = Prisma.sql`SELECT string_agg(${listItemJson(isStarred)}, ',' ORDER BY pg.n)
    FROM (SELECT d.id, d.created, d.modified, d.embargo_status, d.star_count, row_number() OVER (ORDER BY ${orderBy}) AS n
          ${from} ORDER BY ${orderBy} LIMIT ${options.limit} OFFSET ${options.offset}) pg
    LEFT JOIN LATERAL (SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.dandiset_id = pg.id AND v.version = 'draft'
                       LIMIT 1) dv ON true
    LEFT JOIN LATERAL (SELECT ${VERSION_COLUMNS} FROM versions v WHERE v.dandiset_id = pg.id AND v.version <> 'draft'
                       ORDER BY v.id DESC LIMIT 1) pv ON true`;
  const { db } = options;
  const [row] = await db.$queryRaw<{ total: bigint; results: string | null }[]>`
    SELECT (SELECT count(*) ${from}) AS total, (${items}) AS results`;
  return { count: Number(row?.total ?? 0), resultsJson: row?.results ?? "" };
}
