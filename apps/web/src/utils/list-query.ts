/**
 * The dandiset list's state lives in the page URL so that reload, back and
 * shared links show the same page. These helpers translate between the URL
 * query, the view state, and the API query of `GET /api/dandisets/`.
 */
import type { LocationQuery, LocationQueryRaw } from "vue-router";
import type { TQuery } from "../api/client";

/** Every ordering GET /api/dandisets/ offers (apps/api/src/routes/dandisets/list-options.ts). */
export const SORT_FIELDS = ["modified", "id", "name", "size", "stars"] as const;
export type TSortField = (typeof SORT_FIELDS)[number];

export const SORT_LABELS: Record<TSortField, string> = {
  modified: "Modified",
  id: "Identifier",
  name: "Name",
  size: "Size",
  stars: "Stars",
};

export const PAGE_SIZE = 8;

export interface TListState {
  search: string;
  sort: TSortField;
  desc: boolean;
  page: number;
  drafts: boolean;
  empty: boolean;
  embargoed: boolean;
  mine: boolean;
  starred: boolean;
}

export const DEFAULT_LIST_STATE: TListState = {
  search: "",
  sort: "modified",
  desc: true,
  page: 1,
  drafts: true,
  empty: false,
  embargoed: false,
  mine: false,
  starred: false,
};

const first = (value: LocationQuery[string] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value) ?? undefined;

function readBool(value: string | undefined, fallback: boolean): boolean {
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return fallback;
}

/** Reads the list state from a route query; unknown or bad values fall back to `defaults`. */
export function readListState(query: LocationQuery, defaults: TListState = DEFAULT_LIST_STATE): TListState {
  const sort = first(query.sort);
  const page = Number.parseInt(first(query.page) ?? "", 10);
  const dir = first(query.dir);
  return {
    search: first(query.search) ?? defaults.search,
    sort: (SORT_FIELDS as readonly string[]).includes(sort ?? "") ? (sort as TSortField) : defaults.sort,
    desc: dir === "asc" ? false : dir === "desc" ? true : defaults.desc,
    page: Number.isFinite(page) && page > 0 ? page : defaults.page,
    drafts: readBool(first(query.drafts), defaults.drafts),
    empty: readBool(first(query.empty), defaults.empty),
    embargoed: readBool(first(query.embargoed), defaults.embargoed),
    mine: readBool(first(query.mine), defaults.mine),
    starred: readBool(first(query.starred), defaults.starred),
  };
}

/** Writes only the values that differ from `defaults`, so URLs stay short. */
export function writeListState(state: TListState, defaults: TListState = DEFAULT_LIST_STATE): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  if (state.search) query.search = state.search;
  if (state.sort !== defaults.sort) query.sort = state.sort;
  if (state.desc !== defaults.desc) query.dir = state.desc ? "desc" : "asc";
  if (state.page !== 1) query.page = String(state.page);
  for (const key of ["drafts", "empty", "embargoed", "mine", "starred"] as const) {
    if (state[key] !== defaults[key]) query[key] = String(state[key]);
  }
  return query;
}

/** The `GET /api/dandisets/` query for a list state (dandi-api.md §7). */
export function toApiQuery(state: TListState): TQuery {
  return {
    page: state.page,
    page_size: PAGE_SIZE,
    ordering: `${state.desc ? "-" : ""}${state.sort}`,
    search: state.search || undefined,
    draft: state.drafts,
    empty: state.empty,
    embargoed: state.embargoed || undefined,
    user: state.mine ? "me" : undefined,
    starred: state.starred || undefined,
  };
}
