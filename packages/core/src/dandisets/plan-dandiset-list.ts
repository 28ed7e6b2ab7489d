import { Prisma } from "@dandi/db";
import { buildSearchFilter, tokenWords, type TFreeTextStrategy } from "../search/build-search-filter";
import { parseSearchQuery } from "../search/parse-search-query";
import type { ListDandisetsOptions } from "./list-dandisets";

/**
 * Up to this many matches a search page looks its matches up by id and sorts
 * them; above it, the page walks the list order and stops after `limit` rows.
 */
const LOOKUP_MAX_MATCHES = 1000;

/** The FROM/WHERE and ORDER BY of one list query, over `d` (dandisets). */
export interface TDandisetListQuery {
  from: Prisma.Sql;
  orderBy: Prisma.Sql;
}

export interface TDandisetListPlan {
  /** The query that counts the visible set (the page's set). */
  counting: TDandisetListQuery;
  /** The query a page is taken from. */
  page: TDandisetListQuery;
  /**
   * A free-text search whose count (a hash semi-join against the postings) costs
   * more than the page: worth running beside the page rather than before it.
   */
  costlyCount: boolean;
}

function buildListQuery(options: ListDandisetsOptions, freeText: TFreeTextStrategy): TDandisetListQuery {
  const userId = options.user?.id ?? -1;
  const where: Prisma.Sql[] = [];
  const joins: Prisma.Sql[] = [];

  if (options.mine) where.push(Prisma.sql`d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId})`);
  if (!options.embargoed) {
    where.push(Prisma.sql`d.embargo_status = 'OPEN'`);
  } else if (!(options.user?.isSuperuser && options.user.isActive)) {
    where.push(
      Prisma.sql`(d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId}))`,
    );
  }
  if (!options.draft)
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM versions pv WHERE pv.dandiset_id = d.id AND pv.version <> 'draft')`);
  if (options.search) where.push(...buildSearchFilter(parseSearchQuery(options.search), { freeText }));
  if (options.conditions) where.push(...options.conditions);
  if (options.starred)
    joins.push(Prisma.sql`JOIN dandiset_stars st ON st.dandiset_id = d.id AND st.user_id = ${userId}`);
  // The latest version's name/modified/size/asset_count are kept on the dandiset by a
  // trigger on versions (migration 20261122173500), so these are index scans.
  if (!options.empty) where.push(Prisma.sql`d.latest_asset_count > 0`);

  const field = options.ordering?.field;
  // Ties are broken by id in the same direction, so one index serves both directions.
  const dir = options.ordering?.descending ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  let orderBy: Prisma.Sql;
  if (options.starred && !field) orderBy = Prisma.sql`st.created DESC, d.id`;
  else if (field === "id") orderBy = Prisma.sql`d.id ${dir}`;
  else if (field === "name") orderBy = Prisma.sql`d.latest_name ${dir}, d.id ${dir}`;
  else if (field === "modified") orderBy = Prisma.sql`d.latest_modified ${dir}, d.id ${dir}`;
  else if (field === "size") orderBy = Prisma.sql`d.latest_size ${dir}, d.id ${dir}`;
  // dandisets.star_count is kept by a trigger on dandiset_stars (migration 20261122175500).
  else if (field === "stars") orderBy = Prisma.sql`d.star_count ${dir}, d.id ${dir}`;
  else orderBy = Prisma.sql`d.created, d.id`;

  const from = Prisma.sql`FROM dandisets d ${joins.length ? Prisma.join(joins, " ") : Prisma.empty}
    ${where.length ? Prisma.sql`WHERE ${Prisma.join(where, " AND ")}` : Prisma.empty}`;
  return { from, orderBy };
}

/**
 * The SQL of DANDI's dandiset list (GET /api/dandisets/, dandi-api.md §7): the
 * visible set filtered and ordered. Throws SearchSyntaxError for a bad `search`.
 *
 * A free-text search chooses the page's plan from how many postings its rarest
 * word reaches, probed with a LIMIT (well under a millisecond): a word found in
 * nearly every dandiset walks the list's index and stops after `limit` rows,
 * while a word with at most LOOKUP_MAX_MATCHES postings (so at most that many
 * dandisets) looks its few matches up by id. The planner cannot choose by itself
 * because it cannot know how many postings a LIKE over the token vocabulary will
 * reach. The count is left to the caller, which can run it beside the page.
 */
export async function planDandisetList(options: ListDandisetsOptions): Promise<TDandisetListPlan> {
  const counting = buildListQuery(options, "scan");
  const words = options.search ? tokenWords(parseSearchQuery(options.search)) : [];
  if (!words.length) return { counting, page: counting, costlyCount: false };
  const probes = words.map(
    (word) => Prisma.sql`(SELECT count(*) FROM (SELECT 1 FROM dandiset_search_tokens p
      WHERE p.token_id = ANY (ARRAY(SELECT st.id FROM search_tokens st
        WHERE st.token LIKE '%' || lower(public.unaccent(${word})) || '%'))
      LIMIT ${LOOKUP_MAX_MATCHES + 1}) AS probe)`,
  );
  const [probed] = await options.db.$queryRaw<{ postings: bigint }[]>`SELECT least(${Prisma.join(probes)}) AS postings`;
  const rare = Number(probed?.postings ?? 0) <= LOOKUP_MAX_MATCHES;
  return { counting, page: rare ? buildListQuery(options, "lookup") : counting, costlyCount: true };
}
