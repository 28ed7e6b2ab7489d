import { describe, expect, it } from "vitest";
import { parseSearchQuery, SearchSyntaxError } from "./parse-search-query";
import { sequenceRatio } from "./sequence-ratio";

describe("parseSearchQuery", () => {
  it("splits operators, quoted phrases and bare words as DANDI's parser", () => {
    expect(parseSearchQuery('mouse technique:"spike sorting" "foo:bar" species:rat cortex\0')).toEqual({
      freeText: ["mouse", "foo:bar", "cortex"],
      operators: [
        { key: "technique", value: "spike sorting" },
        { key: "species", value: "rat" },
      ],
    });
    expect(parseSearchQuery("")).toEqual({ freeText: [], operators: [] });
  });

  it("rejects unbalanced quotes, unknown operators and long queries", () => {
    expect(() => parseSearchQuery('"oops')).toThrow(SearchSyntaxError);
    expect(() => parseSearchQuery("owners:me")).toThrow('Unknown search operator "owners". Did you mean "owner"?');
    expect(() => parseSearchQuery("zzzz:me")).toThrow(/^Unknown search operator "zzzz"\. Wrap the term/);
    expect(() => parseSearchQuery("a".repeat(1025))).toThrow("Search query is too long (1025 characters; max 1024).");
  });

  it("computes difflib's ratio", () => {
    expect(sequenceRatio("abcd", "bcde")).toBeCloseTo(0.75);
    expect(sequenceRatio("species", "specie")).toBeCloseTo(12 / 13);
  });
});
