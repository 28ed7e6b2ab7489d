import type { Db, Prisma, User } from "@dandi/db";
import { loadDandisetViews, type TDandisetView } from "./dandiset-views";
import { planDandisetList } from "./plan-dandiset-list";
import type { TReadGrants } from "../policies";

export type TDandisetOrderField = "id" | "name" | "modified" | "size" | "stars";

export interface ListDandisetsOptions {
  db: Db;
  /** The caller, with their read grants (viewer, review links) for the embargoed lists. */
  user?: (Pick<User, "id" | "isSuperuser" | "isActive"> & TReadGrants) | null;
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
 * DANDI's dandiset list (GET /api/dandisets/, dandi-api.md §7) as views: the
 * visible set filtered and ordered in SQL, counted, and one page loaded. Throws
 * SearchSyntaxError for a bad `search`. GET /api/dandisets/ itself renders its
 * page in SQL (listDandisetsJson); this form serves callers that add fields.
 */
export async function listDandisets(
  options: ListDandisetsOptions,
): Promise<{ count: number; results: TDandisetView[] }> {
  const { db } = options;
  const { from, orderBy } = await planDandisetList(options);
  // Counted apart from the page, so that the page query can stop after `limit` rows.
  const [rows, count] = await Promise.all([
    db.$queryRaw<
      { id: number }[]
    >`SELECT d.id ${from} ORDER BY ${orderBy} LIMIT ${options.limit} OFFSET ${options.offset}`,
    db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total ${from}`.then(([c]) => Number(c?.total ?? 0)),
  ]);
  const results = await loadDandisetViews(db, {
    ids: rows.map((r) => r.id),
    userId: options.user?.id,
    published: "max-id",
  });
  return { count, results };
}
