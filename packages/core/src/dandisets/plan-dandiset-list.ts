import { Prisma } from "@dandi/db";
import { readableDandisetSql } from "../policies";
import { buildSearchFilter, resolveSearchWords, tokenWords, type TResolvedWord } from "../search/build-search-filter";
import { parseSearchQuery } from "../search/parse-search-query";
import type { ListDandisetsOptions } from "./list-dandisets";

/** The FROM/WHERE and ORDER BY of one list query, over `d` (dandisets). */
export interface TDandisetListQuery {
  from: Prisma.Sql;
  orderBy: Prisma.Sql;
}

function buildListQuery(options: ListDandisetsOptions, words: ReadonlyMap<string, TResolvedWord>): TDandisetListQuery {
  const userId = options.user?.id ?? -1;
  const where: Prisma.Sql[] = [];
  const joins: Prisma.Sql[] = [];

  if (options.mine) where.push(Prisma.sql`d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId})`);
  if (!options.embargoed) {
    where.push(Prisma.sql`d.embargo_status = 'OPEN'`);
  } else {
    where.push(readableDandisetSql(options.user));
  }
  if (!options.draft)
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM versions pv WHERE pv.dandiset_id = d.id AND pv.version <> 'draft')`);
  if (options.search) where.push(...buildSearchFilter(parseSearchQuery(options.search), { words }));
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
 * The free-text words are first resolved to their tokens (one statement, through
 * the trigram index on the small vocabulary). Each word then restricts the list
 * by the cheaper of two forms (buildSearchFilter): a word in at most
 * LOOKUP_MAX_MATCHES dandisets looks its few matches up by id, and a word found
 * nearly everywhere tests each row against its tokens' bitmaps, so the page
 * walks the list's index and stops after `limit` rows and the count is one pass
 * over the dandisets with a get_bit per row. The planner cannot choose by itself
 * because it cannot know how many dandisets a LIKE over the vocabulary reaches.
 */
export async function planDandisetList(options: ListDandisetsOptions): Promise<TDandisetListQuery> {
  const words = options.search ? tokenWords(parseSearchQuery(options.search)) : [];
  return buildListQuery(options, await resolveSearchWords(options.db, words));
}
