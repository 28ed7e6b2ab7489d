/**
 * The DataCite JSON:API document of a published version (a subset of
 * dandischema's to_datacite: creators, titles, publisher, year, type, url,
 * description, rights). `event: "publish"` makes the DOI findable; without it
 * DataCite keeps it as a draft.
 */
export function buildDatacitePayload(
  doi: string,
  metadata: Record<string, unknown>,
  publish: boolean,
): Record<string, unknown> {
  const contributors = Array.isArray(metadata.contributor) ? (metadata.contributor as Record<string, unknown>[]) : [];
  const creators = contributors
    .filter((c) => c && c.includeInCitation)
    .map((c) => ({
      name: String(c.name ?? ""),
      nameType: c.schemaKey === "Organization" ? "Organizational" : "Personal",
    }));
  const published = typeof metadata.datePublished === "string" ? metadata.datePublished : new Date().toISOString();
  const licenses = Array.isArray(metadata.license) ? (metadata.license as string[]) : [];
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
        url: String(metadata.url ?? ""),
        descriptions: metadata.description
          ? [{ description: String(metadata.description), descriptionType: "Abstract" }]
          : [],
        rightsList: licenses.map((l) => ({
          rightsIdentifier: l.replace(/^spdx:/, ""),
          rightsIdentifierScheme: "SPDX",
        })),
        version: String(metadata.version ?? ""),
        schemaVersion: "http://datacite.org/schema/kernel-4",
      },
    },
  };
}
