import { describe, expect, it } from "vitest";
import {
  buildJsonLd,
  CITATION_FORMATS,
  formatApa,
  formatBibtex,
  formatChicago,
  formatCitation,
  formatCitationAs,
  formatHarvard,
  formatIeee,
  formatMla,
  formatRis,
  formatVancouver,
  manuscriptStatements,
} from "./citation";

const metadata = {
  name: "Mouse V1 & friends",
  description: "Recordings",
  license: ["spdx:CC-BY-4.0"],
  keywords: ["mouse", "V1"],
  datePublished: "2024-03-01T00:00:00+00:00",
  doi: "10.80507/dandi.000123/0.240301.0000",
  contributor: [
    { name: "Doe, Jane", schemaKey: "Person", includeInCitation: true },
    { name: "Funder Inc", schemaKey: "Organization", includeInCitation: false },
    { name: "Lab X", schemaKey: "Organization" },
  ],
};
const input = { identifier: "000123", version: "0.240301.0000", metadata, webUrl: "https://web.example/" };

describe("citation", () => {
  it("cites the contributors marked for citation, with the DOI", () => {
    expect(formatCitation(input)).toBe(
      "Doe, Jane; Lab X (2024) Mouse V1 & friends (Version 0.240301.0000) [Data set]. DANDI Archive. https://doi.org/10.80507/dandi.000123/0.240301.0000",
    );
  });

  it("prefers the server's computed citation when present", () => {
    expect(formatCitation({ ...input, metadata: { ...metadata, citation: "Server text" } })).toBe("Server text");
  });

  it("writes an escaped BibTeX entry", () => {
    const bib = formatBibtex(input);
    expect(bib).toMatch(/^@misc\{dandi_000123_0_240301_0000,/);
    expect(bib).toContain("title = {Mouse V1 \\& friends}");
    expect(bib).toContain("author = {Doe, Jane} and {Lab X}");
    expect(bib).toContain("doi = {10.80507/dandi.000123/0.240301.0000}");
  });

  it("links the landing page when there is no DOI (drafts)", () => {
    const draft = { ...input, version: "draft", metadata: { ...metadata, doi: undefined } };
    expect(formatCitation(draft)).toContain("https://web.example/dandiset/000123/draft");
  });

  it("builds schema.org Dataset JSON-LD", () => {
    const ld = buildJsonLd(input);
    expect(ld["@type"]).toBe("Dataset");
    expect(ld.license).toEqual(["https://creativecommons.org/licenses/by/4.0/"]);
    expect(ld.creator).toEqual([
      { "@type": "Person", name: "Doe, Jane" },
      { "@type": "Organization", name: "Lab X" },
    ]);
  });

  it("writes an RIS record, one author per AU line", () => {
    expect(formatRis(input).split("\n")).toEqual([
      "TY  - DATA",
      "AU  - Doe, Jane",
      "AU  - Lab X",
      "TI  - Mouse V1 & friends",
      "PY  - 2024",
      "PB  - DANDI Archive",
      "ET  - 0.240301.0000",
      "UR  - https://doi.org/10.80507/dandi.000123/0.240301.0000",
      "DO  - 10.80507/dandi.000123/0.240301.0000",
      "ER  -",
    ]);
    const draft = formatRis({ ...input, version: "draft", metadata: { name: "Draft" } });
    expect(draft).toContain("UR  - https://web.example/dandiset/000123/draft");
    expect(draft).not.toContain("DO  -");
  });

  it("picks the format by name", async () => {
    expect(await formatCitationAs("text", input)).toBe(formatCitation(input));
    expect(await formatCitationAs("bibtex", input)).toBe(formatBibtex(input));
    expect(await formatCitationAs("ris", input)).toBe(formatRis(input));
  });

  describe("the styles DANDI's How to cite offers", () => {
    const two = {
      ...input,
      metadata: {
        ...metadata,
        contributor: [
          { name: "Doe, Jane Ann", schemaKey: "Person", includeInCitation: true },
          { name: "Roe, Richard", schemaKey: "Person", includeInCitation: true },
          { name: "Lab X", schemaKey: "Organization", includeInCitation: true },
        ],
      },
    };
    const doi = "https://doi.org/10.80507/dandi.000123/0.240301.0000";
    it("writes APA, MLA, Chicago, Harvard, Vancouver and IEEE", () => {
      expect(formatApa(two)).toBe(
        `Doe, J. A., Roe, R., & Lab X (2024). Mouse V1 & friends (Version 0.240301.0000) [Data set]. DANDI Archive. ${doi}`,
      );
      expect(formatMla(two)).toBe(
        `Doe, Jane Ann, et al. “Mouse V1 & friends.” Version 0.240301.0000, DANDI Archive, 2024, ${doi}.`,
      );
      expect(formatChicago(two)).toBe(
        `Doe, Jane Ann, Richard Roe, and Lab X. 2024. “Mouse V1 & friends.” Version 0.240301.0000. DANDI Archive. ${doi}.`,
      );
      expect(formatHarvard(two)).toBe(
        `Doe, J.A., Roe, R. and Lab X (2024) Mouse V1 & friends (Version 0.240301.0000) [Data set]. DANDI Archive. Available at: ${doi}.`,
      );
      expect(formatVancouver(two)).toBe(
        `Doe JA, Roe R, Lab X. Mouse V1 & friends (Version 0.240301.0000) [Data set]. DANDI Archive; 2024. Available from: ${doi}`,
      );
      expect(formatIeee(two)).toBe(
        `J. A. Doe, R. Roe, and Lab X, “Mouse V1 & friends,” DANDI Archive, Version 0.240301.0000, 2024. [Online]. Available: ${doi}`,
      );
    });

    it("writes CFF with the authors split into family and given names", async () => {
      const cff = await formatCitationAs("cff", two);
      expect(cff).toContain("cff-version: 1.2.0");
      expect(cff).toMatch(/- family-names: Doe\n\s+given-names: Jane Ann/);
      expect(cff).toContain("- name: Lab X");
      expect(cff).toContain("doi: 10.80507/dandi.000123/0.240301.0000");
      expect(cff).toContain("date-released: 2024-03-01");
    });

    it("offers every format and DANDI's manuscript sentences", async () => {
      for (const { value } of CITATION_FORMATS) expect(await formatCitationAs(value, two)).toContain("2024");
      expect(manuscriptStatements(two).methods).toBe(
        `Data associated with this study are available on the DANDI Archive (RRID:SCR_017571): ${doi}`,
      );
    });
  });
});
