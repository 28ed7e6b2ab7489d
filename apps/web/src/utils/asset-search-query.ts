/**
 * The asset search page keeps its parameters in the page URL (same names as
 * the API's), so reload, back and shared links show the same search. These
 * helpers translate between the URL query, the page state and the API query
 * of `GET /api/dandisets/search/`.
 */
import type { LocationQuery, LocationQueryRaw } from "vue-router";
import type { TQuery } from "../api/client";

/** DANDI's file type choices: encodingFormat prefixes. */
export const FILE_TYPES = [
  { value: "application/x-nwb", label: "NWB (application/x-nwb)" },
  { value: "image/", label: "Images (image/*)" },
  { value: "video/", label: "Videos (video/*)" },
  { value: "text/", label: "Text (text/*)" },
] as const;

export const SEARCH_PAGE_SIZE = 8;

export interface TAssetSearchState {
  fileTypes: string[];
  /** Bytes; null when unset. */
  sizeMin: number | null;
  sizeMax: number | null;
  genotypes: string[];
  species: string[];
  page: number;
}

export const EMPTY_SEARCH: TAssetSearchState = {
  fileTypes: [],
  sizeMin: null,
  sizeMax: null,
  genotypes: [],
  species: [],
  page: 1,
};

const all = (value: LocationQuery[string] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );

function readSize(value: LocationQuery[string] | undefined): number | null {
  const [raw] = all(value);
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

const KNOWN_TYPES: readonly string[] = FILE_TYPES.map((t) => t.value);

/** Reads the search from a route query; unknown or malformed values are dropped. */
export function readSearchState(query: LocationQuery): TAssetSearchState {
  const page = Number.parseInt(all(query.page)[0] ?? "", 10);
  return {
    fileTypes: all(query.file_type).filter((t) => KNOWN_TYPES.includes(t)),
    sizeMin: readSize(query.file_size_min),
    sizeMax: readSize(query.file_size_max),
    genotypes: all(query.genotype),
    species: all(query.species),
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The route query of a search: only what is set, so URLs stay short. */
export function writeSearchState(state: TAssetSearchState): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (state.fileTypes.length) query.file_type = [...state.fileTypes];
  if (state.sizeMin !== null) query.file_size_min = String(state.sizeMin);
  if (state.sizeMax !== null) query.file_size_max = String(state.sizeMax);
  if (state.genotypes.length) query.genotype = [...state.genotypes];
  if (state.species.length) query.species = [...state.species];
  if (state.page !== 1) query.page = String(state.page);
  return query;
}

/** The `GET /api/dandisets/search/` query of a search (DANDI's web asks for 8 per page). */
export function toSearchApiQuery(state: TAssetSearchState): TQuery {
  return {
    file_type: state.fileTypes,
    file_size_min: state.sizeMin ?? undefined,
    file_size_max: state.sizeMax ?? undefined,
    genotype: state.genotypes,
    species: state.species,
    page: state.page,
    page_size: SEARCH_PAGE_SIZE,
  };
}

/** Whether any filter is set. */
export const hasFilters = (s: TAssetSearchState) =>
  s.fileTypes.length + s.genotypes.length + s.species.length > 0 || s.sizeMin !== null || s.sizeMax !== null;

const FILTER_LABELS: Record<string, string> = {
  file_type: "file type",
  file_size: "file size",
  genotype: "genotype",
  species: "species",
  measurement_technique: "measurement technique",
};

/** "3 assets matching species" for one entry of a result's asset_counts. */
export function describeMatch(filter: string, count: number): string {
  return `${count.toLocaleString("en-US")} asset${count === 1 ? "" : "s"} matching ${FILTER_LABELS[filter] ?? filter.replaceAll("_", " ")}`;
}
