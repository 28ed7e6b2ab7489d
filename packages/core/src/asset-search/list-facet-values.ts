import { Prisma, type Db } from "@dandi/db";
import { escapeLike } from "./asset-search-filters";
import { visibleDandisetCondition, type TSearchUser } from "./visible-dandisets";

export type TAssetFacet = "genotype" | "species";

export interface ListFacetValuesOptions {
  db: Db;
  user: TSearchUser;
  facet: TAssetFacet;
  /** Case-insensitive substring the values must contain (DANDI's icontains). */
  contains?: string;
  offset: number;
  limit: number;
  /** Also count every matching value (the species list is paginated, genotypes are not). */
  withCount: boolean;
}

/**
 * The distinct non-empty genotypes or species of the assets `user` may see,
 * in order (DANDI's /api/search/genotypes/ and /api/search/species/). The
 * distinct values are walked through the (value, dandiset_id) index one value
 * per probe, so the cost follows the number of distinct values, not of assets;
 * each value is kept if some visible dandiset has it.
 */
export async function listFacetValues(options: ListFacetValuesOptions): Promise<{ count: number; values: string[] }> {
  const { db, facet } = options;
  // The column name comes from the fixed TAssetFacet union, never from the request.
  const column = Prisma.raw(facet === "genotype" ? "genotype" : "species");
  const contains = options.contains
    ? Prisma.sql`AND lower(f.value) LIKE ${`%${escapeLike(options.contains.toLowerCase())}%`}`
    : Prisma.empty;
  const matching = Prisma.sql`
    WITH RECURSIVE f(value) AS (
      (SELECT ${column} FROM asset_search WHERE ${column} > '' ORDER BY ${column} LIMIT 1)
      UNION ALL
      SELECT (SELECT s.${column} FROM asset_search s WHERE s.${column} > f.value ORDER BY s.${column} LIMIT 1)
      FROM f WHERE f.value IS NOT NULL
    )
    SELECT f.value FROM f
    WHERE f.value IS NOT NULL ${contains}
      AND EXISTS (SELECT 1 FROM asset_search s JOIN dandisets d ON d.id = s.dandiset_id
                  WHERE s.${column} = f.value AND ${visibleDandisetCondition(options.user)})`;
  const [rows, counted] = await Promise.all([
    db.$queryRaw<{ value: string }[]>`${matching} ORDER BY f.value LIMIT ${options.limit} OFFSET ${options.offset}`,
    options.withCount
      ? db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM (${matching}) AS m`
      : Promise.resolve([]),
  ]);
  return { count: Number(counted[0]?.total ?? 0), values: rows.map((r) => r.value) };
}

/** The names among `species` that no asset visible to `user` has (DANDI's species choices). */
export async function findUnknownSpecies(db: Db, user: TSearchUser, species: string[]): Promise<string[]> {
  if (species.length === 0) return [];
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT n.name FROM unnest(${species}::text[]) WITH ORDINALITY AS n(name, i)
    WHERE NOT EXISTS (SELECT 1 FROM asset_search s JOIN dandisets d ON d.id = s.dandiset_id
                      WHERE s.species = n.name AND ${visibleDandisetCondition(user)})
    ORDER BY n.i`;
  return rows.map((r) => r.name);
}
