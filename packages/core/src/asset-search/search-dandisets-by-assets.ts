import { Prisma } from "@dandi/db";
import { listDandisets, type ListDandisetsOptions } from "../dandisets/list-dandisets";
import type { TDandisetView } from "../dandisets/dandiset-views";
import { buildAssetFilterConditions, type TAssetFilterName, type TAssetSearchFilters } from "./asset-search-filters";

export interface SearchDandisetsByAssetsOptions extends Omit<ListDandisetsOptions, "conditions"> {
  filters: TAssetSearchFilters;
}

export interface TAssetSearchResult extends TDandisetView {
  /** Per filter in use, how many of the dandiset's assets match that filter alone. */
  assetCounts: Partial<Record<TAssetFilterName, number>>;
}

/**
 * DANDI's GET /api/dandisets/search/: the dandiset list (every list parameter
 * applies) narrowed to dandisets with at least one asset matching all the
 * filters, each result with its per-filter `asset_counts`. Reads the
 * trigger-kept asset_search table. Throws SearchSyntaxError for a bad `search`.
 */
export async function searchDandisetsByAssets(
  options: SearchDandisetsByAssetsOptions,
): Promise<{ count: number; results: TAssetSearchResult[] }> {
  const { filters, ...listOptions } = options;
  const conditions = buildAssetFilterConditions(filters);
  const matching = conditions.size ? Prisma.sql`AND ${Prisma.join([...conditions.values()], " AND ")}` : Prisma.empty;
  const { count, results } = await listDandisets({
    ...listOptions,
    conditions: [Prisma.sql`EXISTS (SELECT 1 FROM asset_search s WHERE s.dandiset_id = d.id ${matching})`],
  });
  const counts = await countMatchingAssets(
    options.db,
    results.map((r) => r.id),
    conditions,
  );
  return { count, results: results.map((r) => ({ ...r, assetCounts: counts.get(r.id) ?? {} })) };
}

/** One count per dandiset and filter, each a scan of that filter's index within the dandiset. */
async function countMatchingAssets(
  db: SearchDandisetsByAssetsOptions["db"],
  ids: number[],
  conditions: Map<TAssetFilterName, Prisma.Sql>,
): Promise<Map<number, Partial<Record<TAssetFilterName, number>>>> {
  const result = new Map<number, Partial<Record<TAssetFilterName, number>>>();
  if (ids.length === 0 || conditions.size === 0) return result;
  // The aliases come from the fixed TAssetFilterName list, never from the request.
  const columns = [...conditions].map(
    ([name, condition]) =>
      Prisma.sql`(SELECT count(*) FROM asset_search s WHERE s.dandiset_id = x.id AND ${condition}) AS ${Prisma.raw(`"${name}"`)}`,
  );
  const rows = await db.$queryRaw<Record<string, bigint | number>[]>`
    SELECT x.id, ${Prisma.join(columns, ", ")} FROM unnest(${ids}::int[]) AS x(id)`;
  for (const row of rows) {
    const counts: Partial<Record<TAssetFilterName, number>> = {};
    for (const name of conditions.keys()) counts[name] = Number(row[name]);
    result.set(Number(row.id), counts);
  }
  return result;
}
