import { Prisma, type Db, type User } from "@dandi/db";
import { buildSearchFilter } from "../search/build-search-filter";
import { parseSearchQuery } from "../search/parse-search-query";
import { loadDandisetViews, type TDandisetView } from "./dandiset-views";

export type TDandisetOrderField = "id" | "name" | "modified" | "size" | "stars";

export interface ListDandisetsOptions {
  db: Db;
  user?: Pick<User, "id" | "isSuperuser" | "isActive"> | null;
  /** Include dandisets with only a draft (default true). */
  draft: boolean;
  /** Include dandisets whose latest version has no assets (default true). */
  empty: boolean;
  /** Include owned non-OPEN dandisets; the caller checks authentication first. */
  embargoed: boolean;
  /** Only the caller's own dandisets (no superuser bypass). */
  mine: boolean;
  /** Only dandisets the caller starred, newest star first; the caller checks authentication first. */
  starred: boolean;
  search?: string;
  /** More SQL conditions on `d` (the dandisets table), ANDed; the asset search adds its match here. */
  conditions?: Prisma.Sql[];
  ordering?: { field: TDandisetOrderField; descending: boolean };
  offset: number;
  limit: number;
}

/**
 * DANDI's dandiset list (GET /api/dandisets/, dandi-api.md §7): the visible set
 * filtered and ordered in SQL, counted, and one page loaded. Throws
 * SearchSyntaxError for a bad `search`.
 */
export async function listDandisets(
  options: ListDandisetsOptions,
): Promise<{ count: number; results: TDandisetView[] }> {
  const { db, user } = options;
  const userId = user?.id ?? -1;
  const where: Prisma.Sql[] = [];
  const joins: Prisma.Sql[] = [];

  if (options.mine) where.push(Prisma.sql`d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId})`);
  if (!options.embargoed) {
    where.push(Prisma.sql`d.embargo_status = 'OPEN'`);
  } else if (!(user?.isSuperuser && user.isActive)) {
    where.push(
      Prisma.sql`(d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId}))`,
    );
  }
  if (!options.draft)
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM versions pv WHERE pv.dandiset_id = d.id AND pv.version <> 'draft')`);
  if (options.search) where.push(...buildSearchFilter(parseSearchQuery(options.search)));
  if (options.conditions) where.push(...options.conditions);
  if (options.starred)
    joins.push(Prisma.sql`JOIN dandiset_stars st ON st.dandiset_id = d.id AND st.user_id = ${userId}`);

  const field = options.ordering?.field;
  // The latest version's name/modified/size/asset_count are kept on the dandiset by a
  // trigger on versions (migration 20261122173500), so these are index scans.
  if (!options.empty) where.push(Prisma.sql`d.latest_asset_count > 0`);

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
  // Counted apart from the page, so that the page query can stop after `limit` rows.
  const [rows, [counted]] = await Promise.all([
    db.$queryRaw<
      { id: number }[]
    >`SELECT d.id ${from} ORDER BY ${orderBy} LIMIT ${options.limit} OFFSET ${options.offset}`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total ${from}`,
  ]);
  const count = Number(counted?.total ?? 0);
  const results = await loadDandisetViews(db, { ids: rows.map((r) => r.id), userId: user?.id, published: "max-id" });
  return { count, results };
}
