import { Prisma } from "@dandi/db";
import { buildSearchFilter, hasTokenWords, type TFreeTextStrategy } from "../search/build-search-filter";
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
  /** Already counted (a search, counted first to choose the page's plan), else null. */
  count: number | null;
  /** The query that counts the visible set (the page's set). */
  counting: TDandisetListQuery;
  /** The query a page is taken from. */
  page: TDandisetListQuery;
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
 * A free-text search is counted first (a hash semi-join against the token
 * postings), and the count chooses the page's plan: a word found in nearly every
 * dandiset walks the list's index and stops after `limit` rows, while a rare word
 * looks its few matches up by id. The planner cannot choose by itself because it
 * cannot know how many postings a LIKE over the token vocabulary will reach.
 */
export async function planDandisetList(options: ListDandisetsOptions): Promise<TDandisetListPlan> {
  const counting = buildListQuery(options, "scan");
  const hasTokenSearch = !!options.search && hasTokenWords(parseSearchQuery(options.search));
  if (!hasTokenSearch) return { count: null, counting, page: counting };
  const [counted] = await options.db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total ${counting.from}`;
  const count = Number(counted?.total ?? 0);
  return { count, counting, page: count > LOOKUP_MAX_MATCHES ? counting : buildListQuery(options, "lookup") };
}
