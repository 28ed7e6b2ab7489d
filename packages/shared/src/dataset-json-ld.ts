/**
 * schema.org `Dataset` JSON-LD of a dandiset version, from its metadata. One builder for the
 * API's landing pages (server-rendered, for crawlers) and the web app's page head (@dandi/shared
 * is safe for the browser bundle).
 */

export interface TDatasetJsonLdInput {
  /** "000123" */
  identifier: string;
  version: string;
  /** The version's metadata (DANDI's Dandiset / PublishedDandiset model). */
  metadata: Record<string, unknown>;
  /** The page's canonical URL (the API's landing page of this version). */
  pageUrl: string;
  /** The web app (DANDI_WEB_APP_URL), without a trailing slash. */
  webUrl: string;
  /** The API (DANDI_API_URL), without a trailing slash; the distribution links point at it. */
  apiUrl?: string;
  /** The dandiset's concept DOI (all versions), when it has one. */
  conceptDoi?: string | null;
  /** When the version last changed (its `modified`), ISO 8601. */
  dateModified?: string | null;
}

interface TContributor {
  name?: unknown;
  schemaKey?: unknown;
  identifier?: unknown;
  email?: unknown;
  includeInCitation?: unknown;
  roleName?: unknown;
}

const LICENSE_URLS: Record<string, string> = {
  "spdx:CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "spdx:CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "spdx:CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
};

/** A license's URL for a `spdx:` id (unknown ids: SPDX's page of the license). */
export function licenseUrl(license: string): string {
  if (LICENSE_URLS[license]) return LICENSE_URLS[license];
  return license.startsWith("spdx:") ? `https://spdx.org/licenses/${license.slice(5)}.html` : license;
}

const ORCID = /^(?:https?:\/\/orcid\.org\/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$/;
const ROR = /^(?:https?:\/\/ror\.org\/)?(0[a-z0-9]{8})$/;

/** A contributor's ORCID (people) or ROR (organizations) URL, if its identifier is one. */
export function contributorIdUrl(identifier: unknown): string | null {
  const id = typeof identifier === "string" ? identifier.trim() : "";
  const orcid = ORCID.exec(id);
  if (orcid) return `https://orcid.org/${orcid[1]}`;
  const ror = ROR.exec(id);
  return ror ? `https://ror.org/${ror[1]}` : null;
}

/** Contributors that belong in a citation (includeInCitation not false), in metadata order. */
export function citedContributors(metadata: Record<string, unknown>): TContributor[] {
  const list = Array.isArray(metadata.contributor) ? (metadata.contributor as TContributor[]) : [];
  return list.filter((c) => c && typeof c.name === "string" && c.name && c.includeInCitation !== false);
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const named = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .map((x) => (x && typeof x === "object" ? (x as { name?: unknown }).name : undefined))
        .filter((x): x is string => typeof x === "string" && x !== "")
    : [];

/** The Dataset object (without undefined members). */
export function buildDatasetJsonLd(input: TDatasetJsonLdInput): Record<string, unknown> {
  const { metadata, identifier, version, webUrl } = input;
  const doi = typeof metadata.doi === "string" && metadata.doi ? metadata.doi : "";
  const summary = (metadata.assetsSummary ?? {}) as Record<string, unknown>;
  const appUrl = `${webUrl}/dandiset/${identifier}/${version}`;
  const creators = citedContributors(metadata).map((c) => {
    const sameAs = contributorIdUrl(c.identifier);
    return {
      "@type": c.schemaKey === "Organization" ? "Organization" : "Person",
      name: c.name,
      ...(sameAs ? { sameAs, identifier: sameAs } : {}),
    };
  });
  const sameAs = [appUrl, ...(input.conceptDoi ? [`https://doi.org/${input.conceptDoi}`] : [])];
  const keywords = strings(metadata.keywords);
  const species = named(summary.species);
  const ld: Record<string, unknown> = {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    "@id": doi ? `https://doi.org/${doi}` : input.pageUrl,
    name: typeof metadata.name === "string" ? metadata.name : `Dandiset ${identifier}`,
    description: typeof metadata.description === "string" ? metadata.description : "",
    identifier: doi ? `https://doi.org/${doi}` : `DANDI:${identifier}/${version}`,
    url: input.pageUrl,
    sameAs,
    version,
    license: strings(metadata.license).map(licenseUrl),
    keywords: [...keywords, ...species],
    creator: creators,
    publisher: { "@type": "Organization", name: "DANDI Archive", url: webUrl },
    includedInDataCatalog: { "@type": "DataCatalog", name: "DANDI Archive", url: webUrl },
    isAccessibleForFree: true,
    dateCreated: typeof metadata.dateCreated === "string" ? metadata.dateCreated : undefined,
    datePublished: typeof metadata.datePublished === "string" ? metadata.datePublished : undefined,
    dateModified: input.dateModified ?? undefined,
    measurementTechnique: named(summary.approach).concat(named(summary.measurementTechnique)),
    variableMeasured: strings(summary.variableMeasured),
    citation: typeof metadata.citation === "string" ? metadata.citation : undefined,
  };
  if (input.conceptDoi) ld.isPartOf = { "@type": "Dataset", "@id": `https://doi.org/${input.conceptDoi}` };
  if (input.apiUrl) {
    ld.distribution = [
      {
        "@type": "DataDownload",
        name: "Files of this version (DANDI API)",
        contentUrl: `${input.apiUrl}/api/dandisets/${identifier}/versions/${version}/assets/`,
        encodingFormat: "application/json",
      },
    ];
  }
  return Object.fromEntries(Object.entries(ld).filter(([, v]) => v !== undefined));
}
