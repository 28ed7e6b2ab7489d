import { describe, expect, it } from "vitest";
import { describeMatch, readSearchState, toSearchApiQuery, writeSearchState } from "./asset-search-query";

describe("asset search URL state", () => {
  it("round-trips through the URL and drops malformed values", () => {
    const state = readSearchState({
      file_type: ["image/", "audio/", "video/"],
      file_size_min: "100",
      file_size_max: "-5",
      genotype: "Cre",
      species: ["Mus musculus", ""],
      page: "3",
    });
    expect(state).toEqual({
      fileTypes: ["image/", "video/"],
      sizeMin: 100,
      sizeMax: null,
      genotypes: ["Cre"],
      species: ["Mus musculus"],
      page: 3,
    });
    const query = writeSearchState(state);
    expect(query).toEqual({
      file_type: ["image/", "video/"],
      file_size_min: "100",
      genotype: ["Cre"],
      species: ["Mus musculus"],
      page: "3",
    });
    expect(readSearchState(query as never)).toEqual(state);
    expect(writeSearchState(readSearchState({}))).toEqual({});
  });

  it("builds the API query with 8 per page", () => {
    expect(toSearchApiQuery(readSearchState({ species: "Rat", file_size_max: "0" }))).toEqual({
      file_type: [],
      file_size_min: undefined,
      file_size_max: 0,
      genotype: [],
      species: ["Rat"],
      page: 1,
      page_size: 8,
    });
  });

  it("describes a match count", () => {
    expect(describeMatch("file_type", 1)).toBe("1 asset matching file type");
    expect(describeMatch("measurement_technique", 12345)).toBe("12,345 assets matching measurement technique");
  });
});
