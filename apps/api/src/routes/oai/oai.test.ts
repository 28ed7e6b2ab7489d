import { describe, expect, it } from "vitest";
import request from "supertest";
import { XMLParser } from "fast-xml-parser";
import type { EmbargoStatus } from "@dandi/db";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext({ OAI_PAGE_SIZE: "2" });
const { prisma } = ctx;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) =>
    ["record", "header", "set", "metadataFormat", "setSpec", "dc:creator", "dc:identifier"].includes(name),
});

let minute = 0;
async function seed(status: EmbargoStatus, name: string, versions: number, license = "spdx:CC-BY-4.0") {
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus: status,
      embargoEndDate: status === "OPEN" ? null : new Date("2030-01-01"),
      versions: { create: { version: "draft", name, status: "Valid", metadata: { schemaVersion: "0.7.0", name } } },
    },
  });
  for (let n = 0; n < versions; n++) {
    minute++;
    await prisma.version.create({
      data: {
        dandisetId: dandiset.id,
        version: `0.240101.${String(1000 + minute)}`,
        name,
        status: "Valid",
        metadata: {
          schemaVersion: "0.7.0",
          name,
          description: "A <dataset> & more",
          license: [license],
          contributor: [{ schemaKey: "Person", name: "Doe, Jane", includeInCitation: true }],
          datePublished: "2024-01-01T12:00:00+00:00",
          assetsSummary: {
            species: [{ identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090", name: "Mus musculus" }],
          },
        },
        modified: new Date(Date.UTC(2024, 0, 1, 12, minute)),
      },
    });
  }
  return String(dandiset.id).padStart(6, "0");
}

const a = await seed("OPEN", "Alpha", 2);
const b = await seed("OPEN", "Beta", 1, "spdx:CC0-1.0");
await seed("EMBARGOED", "Secret embargoed", 1);
await seed("UNEMBARGOING", "Secret unembargoing", 1);
const c = await seed("OPEN", "Gamma", 2);

async function oai(query: string) {
  const res = await request(ctx.app).get(`/api/oai/?${query}`).expect(200);
  expect(res.headers["content-type"]).toMatch(/^text\/xml/);
  expect(res.text).not.toContain("Secret");
  return parser.parse(res.text)["OAI-PMH"];
}
const errorCode = async (query: string) => (await oai(query)).error["@code"];

describe("OAI-PMH", () => {
  it("Identify and ListMetadataFormats", async () => {
    const id = (await oai("verb=Identify")).Identify;
    expect(id).toMatchObject({
      baseURL: "http://api.test/api/oai/",
      protocolVersion: "2.0",
      deletedRecord: "transient",
      granularity: "YYYY-MM-DDThh:mm:ssZ",
      earliestDatestamp: "2024-01-01T12:01:00Z",
    });
    const formats = (await oai("verb=ListMetadataFormats")).ListMetadataFormats.metadataFormat;
    expect(formats.map((f: { metadataPrefix: string }) => f.metadataPrefix)).toEqual(["oai_dc", "oai_datacite"]);
  });

  it("harvests every public published version across resumption tokens", async () => {
    const seen: string[] = [];
    let body = (await oai("verb=ListRecords&metadataPrefix=oai_dc")).ListRecords;
    const sizes: string[] = [];
    for (;;) {
      seen.push(...body.record.map((r: { header: { identifier: string }[] }) => r.header[0]!.identifier));
      const token = body.resumptionToken;
      if (!token) break;
      sizes.push(`${token["@cursor"]}/${token["@completeListSize"]}`);
      if (!token["#text"]) break;
      body = (await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(token["#text"])}`)).ListRecords;
    }
    expect(seen).toHaveLength(5);
    expect(sizes).toEqual(["0/5", "2/5", "4/5"]);
    expect(seen.filter((i) => i.startsWith(`oai:web.test:${a}/`))).toHaveLength(2);
    expect(seen.filter((i) => i.startsWith(`oai:web.test:${c}/`))).toHaveLength(2);
  });

  it("filters by set and by date", async () => {
    const cc0 = (await oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=license:CC0-1.0")).ListIdentifiers;
    expect(cc0.header.map((h: { identifier: string }) => h.identifier)).toEqual([`oai:web.test:${b}/0.240101.1003`]);
    expect(cc0.header[0].setSpec).toEqual(["license:CC0-1.0", "species:NCBITaxon_10090"]);
    const mice = (await oai("verb=ListIdentifiers&metadataPrefix=oai_dc&set=species:NCBITaxon_10090")).ListIdentifiers;
    expect(mice.resumptionToken["@completeListSize"]).toBe("5");
    const window = (
      await oai("verb=ListIdentifiers&metadataPrefix=oai_dc&from=2024-01-01T12:02:00Z&until=2024-01-01T12:03:00Z")
    ).ListIdentifiers;
    expect(window.header.map((h: { datestamp: string }) => h.datestamp)).toEqual([
      "2024-01-01T12:02:00Z",
      "2024-01-01T12:03:00Z",
    ]);
    expect(await errorCode("verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01")).toBe("noRecordsMatch");
    const sets = (await oai("verb=ListSets")).ListSets.set.map((s: { setSpec: string[] }) => s.setSpec[0]);
    expect(sets).toEqual(["license:CC-BY-4.0", "license:CC0-1.0", "species:NCBITaxon_10090"]);
  });

  it("GetRecord in oai_dc and oai_datacite", async () => {
    const id = `oai:web.test:${b}/0.240101.1003`;
    const dc = (await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=${id}`)).GetRecord.record[0];
    expect(dc.metadata["oai_dc:dc"]).toMatchObject({
      "dc:title": "Beta",
      "dc:creator": ["Doe, Jane"],
      "dc:description": "A <dataset> & more",
      "dc:rights": "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    const res = await request(ctx.app).get(`/api/oai/?verb=GetRecord&metadataPrefix=oai_datacite&identifier=${id}`);
    expect(res.text).toContain('<resource xmlns="http://datacite.org/schema/kernel-4"');
    expect(res.text).toContain(`<identifier identifierType="DOI">10.80507/dandi.${b}/0.240101.1003</identifier>`);
    expect(res.text).toContain(
      `<relatedIdentifier relatedIdentifierType="DOI" relationType="IsVersionOf">10.80507/dandi.${b}</relatedIdentifier>`,
    );
    expect(res.text).toContain("A &lt;dataset&gt; &amp; more");
  });

  it("answers the protocol's errors", async () => {
    expect(await errorCode("")).toBe("badVerb");
    expect(await errorCode("verb=Nope")).toBe("badVerb");
    expect(await errorCode("verb=Identify&extra=1")).toBe("badArgument");
    expect(await errorCode("verb=ListRecords")).toBe("badArgument");
    expect(await errorCode("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc")).toBe("badArgument");
    expect(await errorCode("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-02T00:00:00Z")).toBe(
      "badArgument",
    );
    expect(await errorCode("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30")).toBe("badArgument");
    expect(await errorCode("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-02&until=2024-01-01")).toBe(
      "badArgument",
    );
    expect(await errorCode("verb=ListRecords&metadataPrefix=marc21")).toBe("cannotDisseminateFormat");
    expect(await errorCode("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:web.test:999999/0.240101.1001")).toBe(
      "idDoesNotExist",
    );
    expect(await errorCode("verb=ListRecords&resumptionToken=garbage")).toBe("badResumptionToken");
    expect(await errorCode("verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc")).toBe("badArgument");
    // The error replaces the verb's element.
    expect((await oai("verb=ListRecords&metadataPrefix=marc21")).ListRecords).toBeUndefined();
    const bad = await oai("verb=Nope&x=1");
    expect(bad.request["@verb"]).toBeUndefined();
  });

  it("takes POSTed forms from anonymous harvesters", async () => {
    const res = await request(ctx.app).post("/api/oai/").type("form").send({ verb: "Identify" }).expect(200);
    expect(parser.parse(res.text)["OAI-PMH"].Identify.protocolVersion).toBe("2.0");
  });
});
