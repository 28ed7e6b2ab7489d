import { Prisma, type Db } from "@dandi/db";
import { readableDandisetSql } from "../policies";
import { parseTimestamp, timestampText } from "../sql/timestamps";

/**
 * What crawlers and harvesters may see: the versions of dandisets the read policy opens to
 * an anonymous caller (`readableDandisetSql(null)`: OPEN only, never EMBARGOED or
 * UNEMBARGOING, whoever asks).
 */
const PUBLIC = readableDandisetSql(null);

export interface TSitemapEntry {
  dandisetId: number;
  version: string;
  modified: Date;
}

/** How many URLs the sitemap has: every published version and the draft of every public dandiset. */
export async function countSitemapEntries(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM versions v JOIN dandisets d ON d.id = v.dandiset_id WHERE ${PUBLIC}`;
  return Number(row?.n ?? 0);
}

/** One sitemap file's entries, in dandiset then version order. */
export async function listSitemapEntries(db: Db, offset: number, limit: number): Promise<TSitemapEntry[]> {
  const rows = await db.$queryRaw<{ dandisetId: number; version: string; modified: string }[]>`
    SELECT v.dandiset_id AS "dandisetId", v.version, ${timestampText(Prisma.sql`v.modified`)} AS modified
    FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
    WHERE ${PUBLIC}
    ORDER BY v.dandiset_id, v.id
    OFFSET ${offset} LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, modified: parseTimestamp(r.modified) }));
}

export interface TPublicVersion {
  id: number;
  dandisetId: number;
  version: string;
  doi: string | null;
  modified: Date;
  created: Date;
  metadata: Record<string, unknown>;
  conceptDoi: string | null;
}

/** A version of a public dandiset ("draft" included), or null. */
export async function findPublicVersion(db: Db, dandisetId: number, version: string): Promise<TPublicVersion | null> {
  const rows = await db.$queryRaw<TPublicVersionRow[]>`
    SELECT ${publicVersionColumns} FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
    WHERE v.dandiset_id = ${dandisetId} AND v.version = ${version} AND ${PUBLIC}`;
  return rows[0] ? toPublicVersion(rows[0]) : null;
}

interface TPublicVersionRow {
  id: number;
  dandisetId: number;
  version: string;
  doi: string | null;
  modified: string;
  created: string;
  metadata: Record<string, unknown>;
  conceptDoi: string | null;
}

const publicVersionColumns = Prisma.sql`v.id, v.dandiset_id AS "dandisetId", v.version, v.doi,
  ${timestampText(Prisma.sql`v.modified`)} AS modified, ${timestampText(Prisma.sql`v.created`)} AS created,
  v.metadata, d.concept_doi AS "conceptDoi"`;

function toPublicVersion(r: TPublicVersionRow): TPublicVersion {
  return { ...r, modified: parseTimestamp(r.modified), created: parseTimestamp(r.created) };
}

/**
 * An OAI-PMH set: `license:<SPDX id>` (the version's license) or `species:<id>` (a species
 * of its assets, by the last segment of its identifier, e.g. NCBITaxon_10090).
 */
export interface TOaiFilter {
  /** Inclusive, whole seconds (OAI-PMH datestamps have no fractions). */
  from?: Date;
  until?: Date;
  set?: string;
}

function oaiConditions(filter: TOaiFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [PUBLIC, Prisma.sql`v.version <> 'draft'`];
  const second = Prisma.sql`date_trunc('second', v.modified)`;
  if (filter.from) parts.push(Prisma.sql`${second} >= ${filter.from.toISOString()}::timestamptz`);
  if (filter.until) parts.push(Prisma.sql`${second} <= ${filter.until.toISOString()}::timestamptz`);
  if (filter.set) {
    const [kind, value] = [filter.set.slice(0, filter.set.indexOf(":")), filter.set.slice(filter.set.indexOf(":") + 1)];
    if (kind === "license") parts.push(Prisma.sql`v.metadata->'license' ? ${`spdx:${value}`}`);
    else if (kind === "species")
      parts.push(Prisma.sql`EXISTS (SELECT 1 FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof(v.metadata->'assetsSummary'->'species') = 'array'
             THEN v.metadata->'assetsSummary'->'species' ELSE '[]'::jsonb END) s
        WHERE regexp_replace(s->>'identifier', '^.*[/#]', '') = ${value})`);
    else parts.push(Prisma.sql`FALSE`);
  }
  return Prisma.join(parts, " AND ");
}

/** How many published public versions match (OAI-PMH completeListSize). */
export async function countOaiRecords(db: Db, filter: TOaiFilter): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM versions v JOIN dandisets d ON d.id = v.dandiset_id WHERE ${oaiConditions(filter)}`;
  return Number(row?.n ?? 0);
}

/** The next `limit` matching published public versions after version id `afterId`, by id. */
export async function listOaiRecords(
  db: Db,
  filter: TOaiFilter,
  afterId: number,
  limit: number,
): Promise<TPublicVersion[]> {
  const rows = await db.$queryRaw<TPublicVersionRow[]>`
    SELECT ${publicVersionColumns} FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
    WHERE ${oaiConditions(filter)} AND v.id > ${afterId}
    ORDER BY v.id LIMIT ${limit}`;
  return rows.map(toPublicVersion);
}

/** The oldest datestamp of any published public version (OAI-PMH earliestDatestamp). */
export async function earliestOaiDatestamp(db: Db): Promise<Date | null> {
  const [row] = await db.$queryRaw<{ t: string | null }[]>`
    SELECT ${timestampText(Prisma.sql`min(v.modified)`)} AS t FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
    WHERE ${PUBLIC} AND v.version <> 'draft'`;
  return row?.t ? parseTimestamp(row.t) : null;
}

/** The sets present among published public versions: their licenses and species. */
export async function listOaiSets(db: Db): Promise<{ spec: string; name: string }[]> {
  const rows = await db.$queryRaw<{ spec: string; name: string }[]>`
    WITH pv AS (
      SELECT v.metadata FROM versions v JOIN dandisets d ON d.id = v.dandiset_id
      WHERE ${PUBLIC} AND v.version <> 'draft'
    )
    SELECT DISTINCT 'license:' || regexp_replace(l, '^spdx:', '') AS spec, 'License ' || regexp_replace(l, '^spdx:', '') AS name
    FROM pv, jsonb_array_elements_text(CASE WHEN jsonb_typeof(pv.metadata->'license') = 'array'
                                           THEN pv.metadata->'license' ELSE '[]'::jsonb END) l
    UNION
    SELECT DISTINCT 'species:' || regexp_replace(s->>'identifier', '^.*[/#]', ''), 'Species: ' || coalesce(s->>'name', s->>'identifier')
    FROM pv, jsonb_array_elements(CASE WHEN jsonb_typeof(pv.metadata->'assetsSummary'->'species') = 'array'
                                      THEN pv.metadata->'assetsSummary'->'species' ELSE '[]'::jsonb END) s
    WHERE s->>'identifier' IS NOT NULL
    ORDER BY spec`;
  return rows;
}
