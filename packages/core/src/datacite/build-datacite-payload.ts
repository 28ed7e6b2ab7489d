/** A related DOI: the concept DOI of a version ("IsVersionOf"), a version of a concept DOI ("HasVersion"). */
export interface TRelatedDoi {
  relatedIdentifier: string;
  relationType: "IsVersionOf" | "HasVersion";
}

export interface TDatacitePayloadExtras {
  relatedIdentifiers?: TRelatedDoi[];
  /** Overrides metadata.url (a concept DOI points at the newest version's landing page). */
  url?: string;
  /** Overrides metadata.version ("" for a concept DOI: it names no single version). */
  version?: string;
}

interface TContributor {
  name?: unknown;
  schemaKey?: unknown;
  identifier?: unknown;
  includeInCitation?: unknown;
}

const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;
const ROR = /^(?:https?:\/\/ror\.org\/)?(0[a-z0-9]{8})$/;

/** A contributor's ORCID (people) or ROR (organizations) as a DataCite nameIdentifier. */
function nameIdentifiers(c: TContributor) {
  const id = typeof c.identifier === "string" ? c.identifier.trim() : "";
  const orcid = ORCID.exec(id);
  if (orcid)
    return [
      {
        nameIdentifier: `https://orcid.org/${orcid[1]}`,
        nameIdentifierScheme: "ORCID",
        schemeUri: "https://orcid.org",
      },
    ];
  const ror = ROR.exec(id);
  if (ror)
    return [{ nameIdentifier: `https://ror.org/${ror[1]}`, nameIdentifierScheme: "ROR", schemeUri: "https://ror.org" }];
  return [];
}

/**
 * The DataCite JSON:API document of a published version (a subset of
 * dandischema's to_datacite: creators with their ORCID/ROR, titles, publisher,
 * year, type, url, description, rights, related DOIs). `event: "publish"` makes
 * the DOI findable; without it DataCite keeps it as a draft. The OAI-PMH
 * oai_datacite records are the same document as kernel-4 XML (buildDataciteXml).
 */
export function buildDatacitePayload(
  doi: string,
  metadata: Record<string, unknown>,
  publish: boolean,
  extras: TDatacitePayloadExtras = {},
): { data: { type: "dois"; attributes: Record<string, unknown> } } {
  const contributors = Array.isArray(metadata.contributor) ? (metadata.contributor as TContributor[]) : [];
  const creators = contributors
    .filter((c) => c && c.includeInCitation)
    .map((c) => {
      const ids = nameIdentifiers(c);
      return {
        name: String(c.name ?? ""),
        nameType: c.schemaKey === "Organization" ? "Organizational" : "Personal",
        ...(ids.length > 0 ? { nameIdentifiers: ids } : {}),
      };
    });
  const published = typeof metadata.datePublished === "string" ? metadata.datePublished : new Date().toISOString();
  const licenses = Array.isArray(metadata.license) ? (metadata.license as string[]) : [];
  const related = (extras.relatedIdentifiers ?? []).map((r) => ({ ...r, relatedIdentifierType: "DOI" }));
  return {
    data: {
      type: "dois",
      attributes: {
        doi,
        ...(publish ? { event: "publish" } : {}),
        creators: creators.length > 0 ? creators : [{ name: "DANDI Archive", nameType: "Organizational" }],
        titles: [{ title: String(metadata.name ?? "") }],
        publisher: "DANDI Archive",
        publicationYear: Number(published.slice(0, 4)),
        types: { resourceTypeGeneral: "Dataset", resourceType: "Neural Data" },
        url: extras.url ?? String(metadata.url ?? ""),
        descriptions: metadata.description
          ? [{ description: String(metadata.description), descriptionType: "Abstract" }]
          : [],
        rightsList: licenses.map((l) => ({
          rightsIdentifier: l.replace(/^spdx:/, ""),
          rightsIdentifierScheme: "SPDX",
        })),
        ...(related.length > 0 ? { relatedIdentifiers: related } : {}),
        version: extras.version ?? String(metadata.version ?? ""),
        schemaVersion: "http://datacite.org/schema/kernel-4",
      },
    },
  };
}
