import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";

export const DATACITE_KERNEL4_NS = "http://datacite.org/schema/kernel-4";
export const DATACITE_KERNEL4_XSD = "http://schema.datacite.org/meta/kernel-4/metadata.xsd";
const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";

type TAttributes = Record<string, unknown>;
const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
/** Characters XML 1.0 cannot carry (control characters, lone surrogates) are dropped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
export const xmlText = (v: unknown) => (v === undefined || v === null ? "" : String(v).replace(NOT_XML_CHAR, ""));
const text = xmlText;

/**
 * Appends a DataCite kernel-4 `<resource>` for the attributes of a DataCite JSON:API
 * document (buildDatacitePayload), in the schema's element order: the same metadata the
 * DOI registration sends, as XML (OAI-PMH's oai_datacite). Text and attribute values are
 * escaped by xmlbuilder2.
 */
export function appendDataciteResource(parent: XMLBuilder, a: TAttributes): XMLBuilder {
  const r = parent.ele(DATACITE_KERNEL4_NS, "resource", {
    "xmlns:xsi": XSI_NS,
    "xsi:schemaLocation": `${DATACITE_KERNEL4_NS} ${DATACITE_KERNEL4_XSD}`,
  });
  r.ele("identifier", { identifierType: "DOI" }).txt(text(a.doi));
  const creators = r.ele("creators");
  for (const c of list(a.creators)) {
    const creator = creators.ele("creator");
    creator.ele("creatorName", { nameType: text(c.nameType) || "Personal" }).txt(text(c.name));
    for (const id of list(c.nameIdentifiers)) {
      creator
        .ele("nameIdentifier", { nameIdentifierScheme: text(id.nameIdentifierScheme), schemeURI: text(id.schemeUri) })
        .txt(text(id.nameIdentifier));
    }
  }
  const titles = r.ele("titles");
  for (const t of list(a.titles)) titles.ele("title").txt(text(t.title));
  r.ele("publisher").txt(text(a.publisher));
  r.ele("publicationYear").txt(text(a.publicationYear));
  const types = (a.types ?? {}) as Record<string, unknown>;
  r.ele("resourceType", { resourceTypeGeneral: text(types.resourceTypeGeneral) || "Dataset" }).txt(
    text(types.resourceType),
  );
  const related = list(a.relatedIdentifiers);
  if (related.length > 0) {
    const el = r.ele("relatedIdentifiers");
    for (const x of related) {
      el.ele("relatedIdentifier", {
        relatedIdentifierType: text(x.relatedIdentifierType),
        relationType: text(x.relationType),
      }).txt(text(x.relatedIdentifier));
    }
  }
  if (text(a.version)) r.ele("version").txt(text(a.version));
  const rights = list(a.rightsList);
  if (rights.length > 0) {
    const el = r.ele("rightsList");
    for (const x of rights) {
      el.ele("rights", {
        rightsIdentifier: text(x.rightsIdentifier),
        rightsIdentifierScheme: text(x.rightsIdentifierScheme),
      }).txt(text(x.rightsIdentifier));
    }
  }
  const descriptions = list(a.descriptions);
  if (descriptions.length > 0) {
    const el = r.ele("descriptions");
    for (const d of descriptions)
      el.ele("description", { descriptionType: text(d.descriptionType) }).txt(text(d.description));
  }
  return r;
}

/** The kernel-4 XML document of a DataCite JSON:API document's attributes. */
export function buildDataciteXml(attributes: TAttributes): string {
  const doc = create({ version: "1.0", encoding: "UTF-8" });
  appendDataciteResource(doc, attributes);
  return doc.end({ prettyPrint: true });
}
