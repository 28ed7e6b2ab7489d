/**
 * The asset search endpoints (DANDI's search app, dandi-api.md §1.1 and §1.8),
 * through the one client in `client.ts`.
 */
import { request, type TQuery } from "./client";
import type { TDandiset, TPage } from "./types";

/** A dandiset of the asset search, with per filter in use how many of its assets match it. */
export interface TAssetSearchResult extends TDandiset {
  asset_counts: Partial<Record<string, number>>;
}

/** GET /api/dandisets/search/: dandisets with an asset matching every filter. */
export const searchDandisetAssets = (query: TQuery, signal?: AbortSignal) =>
  request<TPage<TAssetSearchResult>>("/dandisets/search/", { query, signal });

/** At most 10 genotypes of visible assets containing `genotype`. */
export const searchGenotypes = (genotype: string, signal?: AbortSignal) =>
  request<string[]>("/search/genotypes/", { query: { genotype }, signal });

/** The species of visible assets containing `species` (first page; DANDI's web reads only that too). */
export const searchSpecies = (species: string, signal?: AbortSignal) =>
  request<TPage<string>>("/search/species/", { query: { species, page_size: 1000 }, signal });
