import { describe, expect, it } from "vitest";
import { DEFAULT_LIST_STATE, readListState, toApiQuery, writeListState } from "./list-query";

describe("list query state", () => {
  it("round-trips every field through the URL", () => {
    const state = {
      search: "mouse",
      sort: "size" as const,
      desc: false,
      page: 3,
      drafts: false,
      empty: true,
      embargoed: true,
      mine: true,
      starred: true,
    };
    const query = writeListState(state);
    expect(query).toEqual({
      search: "mouse",
      sort: "size",
      dir: "asc",
      page: "3",
      drafts: "false",
      empty: "true",
      embargoed: "true",
      mine: "true",
      starred: "true",
    });
    expect(readListState(query as Record<string, string>)).toEqual(state);
  });

  it("keeps default values out of the URL and falls back on bad values", () => {
    expect(writeListState(DEFAULT_LIST_STATE)).toEqual({});
    expect(readListState({ sort: "bogus", page: "-2", dir: "sideways", drafts: "maybe" })).toEqual(DEFAULT_LIST_STATE);
  });

  it("reads relative to the view's own defaults (My Dandisets)", () => {
    const mine = { ...DEFAULT_LIST_STATE, empty: true, embargoed: true, mine: true };
    expect(readListState({}, mine)).toEqual(mine);
    expect(writeListState({ ...mine, empty: false }, mine)).toEqual({ empty: "false" });
  });

  it("builds DANDI's list query", () => {
    expect(toApiQuery({ ...DEFAULT_LIST_STATE, search: "x", page: 2, mine: true, embargoed: true })).toEqual({
      page: 2,
      page_size: 8,
      ordering: "-modified",
      search: "x",
      draft: true,
      empty: false,
      embargoed: true,
      user: "me",
    });
    expect(toApiQuery({ ...DEFAULT_LIST_STATE, sort: "id", desc: false }).ordering).toBe("id");
    // Starred Dandisets: DANDI's `starred=true` filter, left out otherwise.
    expect(toApiQuery({ ...DEFAULT_LIST_STATE, starred: true }).starred).toBe(true);
    expect(toApiQuery(DEFAULT_LIST_STATE)).not.toHaveProperty("starred", false);
  });
});
