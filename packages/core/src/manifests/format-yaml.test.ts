import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { formatYamlDocument, formatYamlSequenceItem } from "./format-yaml";

/** Strings a careless emitter would write plain and a YAML reader would then turn into something else. */
const TRICKY_STRINGS = [
  "",
  " ",
  " leading space",
  "trailing space ",
  "yes",
  "No",
  "ON",
  "off",
  "y",
  "n",
  "true",
  "False",
  "null",
  "Null",
  "~",
  "123",
  "-1",
  "0x1F",
  "0o17",
  "1e3",
  "1_000",
  "1:20",
  ".inf",
  "-.inf",
  ".nan",
  "2026-11-22",
  "2026-11-22T18:00:00+00:00",
  "- item",
  "-",
  "? key",
  "key: value",
  "ends with colon:",
  "a # comment",
  "#hash",
  "&anchor",
  "*alias",
  "!tag",
  "|literal",
  ">folded",
  "'single'",
  '"double"',
  "%directive",
  "@at",
  "`tick",
  "[flow]",
  "{flow}",
  ",comma",
  "<<",
  "=",
  "line\nbreak",
  "tab\there",
  "carriage\rreturn",
  "nel\u0085next",
  "ls\u2028ps\u2029",
  "bom\ufeff",
  "del\u007f",
  "bell\u0007",
  "unicode: Ünïcödé ✓ 🐭",
  "back\\slash",
  "Mus musculus - House mouse",
  "http://purl.obolibrary.org/obo/NCBITaxon_10090",
  "dandi:OpenAccess",
  "0b0e7a8e-4b0a-4a51-8b1d-8a1e7f0f0a1b",
  "0.261122.1855",
  "1.2",
  "1.2.",
  "1..2",
];

const ASSET = {
  id: "dandiasset:0b0e7a8e-4b0a-4a51-8b1d-8a1e7f0f0a1b",
  path: "sub-1/sub-1_ecephys.nwb",
  access: [{ status: "dandi:OpenAccess", schemaKey: "AccessRequirements" }],
  digest: { "dandi:sha2-256": "a".repeat(64), "dandi:dandi-etag": "0123456789abcdef0123456789abcdef-1" },
  "@context": "https://raw.githubusercontent.com/dandi/schema/master/releases/0.8.0/context.json",
  contentSize: 1000,
  empty: {},
  none: [],
  nested: [[1, [2, 3]], [], [{}], [{ a: { b: [true, false, null] } }]],
  numbers: [0, -1, 1.5, 1e21, 1e-7, -2.5e-300, Number.MAX_SAFE_INTEGER],
  wasAttributedTo: [
    {
      species: { name: "Mus musculus - House mouse", identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090" },
      schemaKey: "Participant",
      identifier: "sub-1",
    },
  ],
};

describe("formatYaml", () => {
  it("writes every tricky string so that a YAML reader gets the same string back", () => {
    for (const s of TRICKY_STRINGS) {
      expect(load(formatYamlDocument(s)), JSON.stringify(s)).toBe(s);
      expect(load(formatYamlDocument({ [s]: s })), JSON.stringify(s)).toEqual({ [s]: s });
    }
    expect(load(formatYamlDocument({ list: TRICKY_STRINGS }))).toEqual({ list: TRICKY_STRINGS });
  });

  it("quotes YAML 1.1 booleans, nulls, numbers and timestamps, which a YAML 1.2 reader would not catch", () => {
    for (const s of ["yes", "No", "ON", "off", "y", "N", "Null", "1:20", "2026-11-22", "1_000", "0x1F", "1e3", "-"]) {
      expect(formatYamlDocument(s)).toBe(`${JSON.stringify(s)}\n`);
    }
  });

  it("writes common metadata strings plain, as a person would", () => {
    expect(
      formatYamlDocument({
        species: "Mus musculus - House mouse",
        status: "dandi:OpenAccess",
        version: "0.261122.1855",
      }),
    ).toBe("species: Mus musculus - House mouse\nstatus: dandi:OpenAccess\nversion: 0.261122.1855\n");
  });

  it("round-trips nested documents, empty collections and numbers", () => {
    expect(load(formatYamlDocument(ASSET))).toEqual(ASSET);
    expect(formatYamlDocument({ a: [], b: {}, c: null })).toBe("a: []\nb: {}\nc: null\n");
    expect(formatYamlDocument({ size: 1e21, n: 1 })).toBe(`size: 1.0e+21\n"n": 1\n`);
  });

  it("writes a sequence item by item that reads back as the list", () => {
    const items = [ASSET, { ...ASSET, path: "sub-2/file.nwb" }, "plain", 42, [], {}, [["x"]]];
    const text = items.map((i) => formatYamlSequenceItem(i)).join("");
    expect(load(text)).toEqual(items);
    expect(formatYamlSequenceItem({ a: 1, b: [1, { c: 2 }] })).toBe("- a: 1\n  b:\n  - 1\n  - c: 2\n");
  });
});
