import { Prisma } from "@dandi/db";

/** The file types DANDI's search accepts: encodingFormat prefixes, matched case-insensitively. */
export const ASSET_SEARCH_FILE_TYPES = ["application/x-nwb", "image/", "text/", "video/"] as const;

/** DANDI's fixed vocabulary for `measurement_technique`. */
export const ASSET_SEARCH_MEASUREMENT_TECHNIQUES = [
  "signal filtering technique",
  "spike sorting technique",
  "multi electrode extracellular electrophysiology recording technique",
  "voltage clamp technique",
  "surgical technique",
  "behavioral technique",
  "current clamp technique",
  "fourier analysis technique",
  "two-photon microscopy technique",
  "patch clamp technique",
  "analytical technique",
] as const;

/** The filter names, in DANDI's order; each names one key of `asset_counts`. */
export const ASSET_FILTER_NAMES = ["file_type", "file_size", "genotype", "species", "measurement_technique"] as const;
export type TAssetFilterName = (typeof ASSET_FILTER_NAMES)[number];

export interface TAssetSearchFilters {
  fileTypes: string[];
  fileSizeMin?: bigint;
  fileSizeMax?: bigint;
  genotypes: string[];
  species: string[];
  measurementTechniques: string[];
}

/** LIKE pattern escaping, as Django's istartswith and icontains do. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One SQL condition on `s` (an asset_search row) per filter in use, as DANDI's
 * to_query_filters: values of one filter are ORed, a size bound of 0 is no bound.
 */
export function buildAssetFilterConditions(filters: TAssetSearchFilters): Map<TAssetFilterName, Prisma.Sql> {
  const conditions = new Map<TAssetFilterName, Prisma.Sql>();
  if (filters.fileTypes.length) {
    const prefixes = filters.fileTypes.map(
      (t) => Prisma.sql`s.encoding_format LIKE ${`${escapeLike(t.toLowerCase())}%`}`,
    );
    conditions.set("file_type", Prisma.sql`(${Prisma.join(prefixes, " OR ")})`);
  }
  const bounds: Prisma.Sql[] = [];
  if (filters.fileSizeMax) bounds.push(Prisma.sql`s.asset_size <= ${filters.fileSizeMax}`);
  if (filters.fileSizeMin) bounds.push(Prisma.sql`s.asset_size >= ${filters.fileSizeMin}`);
  if (bounds.length) conditions.set("file_size", Prisma.sql`(${Prisma.join(bounds, " AND ")})`);
  if (filters.genotypes.length) conditions.set("genotype", Prisma.sql`s.genotype = ANY (${filters.genotypes}::text[])`);
  if (filters.species.length) conditions.set("species", Prisma.sql`s.species = ANY (${filters.species}::text[])`);
  if (filters.measurementTechniques.length) {
    conditions.set(
      "measurement_technique",
      Prisma.sql`s.measurement_techniques && ${filters.measurementTechniques}::text[]`,
    );
  }
  return conditions;
}
