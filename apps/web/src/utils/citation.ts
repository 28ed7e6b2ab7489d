/**
 * Citation text, BibTeX and schema.org JSON-LD for a dandiset version, built
 * from its metadata (contributors with `includeInCitation`, name, version, DOI).
 */
import type { TMetadata } from "../api/types";

interface TContributor {
  name?: string;
  schemaKey?: string;
  includeInCitation?: boolean;
  roleName?: string[];
}

export interface TCitationInput {
  identifier: string;
  version: string;
  metadata: TMetadata;
  webUrl: string;
}

/** Contributors that belong in a citation, in metadata order. */
export function citedContributors(metadata: TMetadata): TContributor[] {
  const list = Array.isArray(metadata.contributor) ? (metadata.contributor as TContributor[]) : [];
  return list.filter((c) => c && c.name && c.includeInCitation !== false);
}

const yearOf = (metadata: TMetadata): string => {
  const stamp = (metadata.datePublished ?? metadata.dateCreated) as string | undefined;
  const year = stamp ? new Date(stamp).getUTCFullYear() : new Date().getUTCFullYear();
  return Number.isNaN(year) ? String(new Date().getUTCFullYear()) : String(year);
};

const doiOf = (metadata: TMetadata): string => (typeof metadata.doi === "string" ? metadata.doi : "");

/** The landing page's permanent URL for a version. */
export function versionUrl({ identifier, version, webUrl }: TCitationInput): string {
  return `${webUrl.replace(/\/+$/, "")}/dandiset/${identifier}/${version}`;
}

/** DANDI-style citation: "Authors (year) Title (Version v) [Data set]. DANDI Archive. URL". */
export function formatCitation(input: TCitationInput): string {
  const { metadata, version } = input;
  if (typeof metadata.citation === "string" && metadata.citation) return metadata.citation;
  const authors = citedContributors(metadata)
    .map((c) => c.name)
    .join("; ");
  const doi = doiOf(metadata);
  const link = doi ? `https://doi.org/${doi}` : versionUrl(input);
  const name = typeof metadata.name === "string" ? metadata.name : `Dandiset ${input.identifier}`;
  return `${authors ? `${authors} ` : ""}(${yearOf(metadata)}) ${name} (Version ${version}) [Data set]. DANDI Archive. ${link}`;
}

const escapeBibtex = (text: string) => text.replace(/([{}\\&%$#_])/g, "\\$1");

/** A BibTeX `@misc` entry for the version. */
export function formatBibtex(input: TCitationInput): string {
  const { metadata, identifier, version } = input;
  const authors = citedContributors(metadata)
    .map((c) => `{${escapeBibtex(c.name!)}}`)
    .join(" and ");
  const doi = doiOf(metadata);
  const fields: [string, string][] = [
    ["title", `{${escapeBibtex(String(metadata.name ?? ""))}}`],
    ["author", authors || "{DANDI Archive}"],
    ["year", yearOf(metadata)],
    ["publisher", "{DANDI Archive}"],
    ["version", `{${version}}`],
    ["url", `{${doi ? `https://doi.org/${doi}` : versionUrl(input)}}`],
  ];
  if (doi) fields.push(["doi", `{${doi}}`]);
  const body = fields.map(([k, v]) => `  ${k} = ${v}`).join(",\n");
  return `@misc{dandi_${identifier}_${version.replace(/\W/g, "_")},\n${body}\n}`;
}

/** An RIS record (EndNote, Zotero, Mendeley) for the version. */
export function formatRis(input: TCitationInput): string {
  const { metadata, identifier, version } = input;
  const doi = doiOf(metadata);
  const lines: [string, string][] = [
    ["TY", "DATA"],
    ...citedContributors(metadata).map((c): [string, string] => ["AU", c.name!]),
    ["TI", String(metadata.name ?? `Dandiset ${identifier}`)],
    ["PY", yearOf(metadata)],
    ["PB", "DANDI Archive"],
    ["ET", version],
    ["UR", doi ? `https://doi.org/${doi}` : versionUrl(input)],
  ];
  if (doi) lines.push(["DO", doi]);
  lines.push(["ER", ""]);
  return lines.map(([tag, value]) => `${tag}  - ${value}`.trimEnd()).join("\n");
}

export type TCitationFormat = "text" | "bibtex" | "ris";
export const CITATION_FORMATS: { value: TCitationFormat; label: string }[] = [
  { value: "text", label: "Text" },
  { value: "bibtex", label: "BibTeX" },
  { value: "ris", label: "RIS" },
];

/** The citation in one of the offered formats. */
export function formatCitationAs(format: TCitationFormat, input: TCitationInput): string {
  if (format === "bibtex") return formatBibtex(input);
  if (format === "ris") return formatRis(input);
  return formatCitation(input);
}

/** schema.org `Dataset` JSON-LD for the page head (search engines, dataset search). */
export function buildJsonLd(input: TCitationInput): Record<string, unknown> {
  const { metadata, identifier, version } = input;
  const doi = doiOf(metadata);
  const license = Array.isArray(metadata.license) ? (metadata.license as string[]) : [];
  return {
    "@context": "https://schema.org/",
    "@type": "Dataset",
    name: metadata.name,
    description: metadata.description,
    identifier: doi ? `https://doi.org/${doi}` : `DANDI:${identifier}`,
    url: versionUrl(input),
    version,
    license: license.map((l) => licenseUrl(l)),
    keywords: Array.isArray(metadata.keywords) ? metadata.keywords : [],
    creator: citedContributors(metadata).map((c) => ({
      "@type": c.schemaKey === "Organization" ? "Organization" : "Person",
      name: c.name,
    })),
    datePublished: metadata.datePublished ?? undefined,
    includedInDataCatalog: { "@type": "DataCatalog", name: "DANDI Archive" },
  };
}

const LICENSES: Record<string, string> = {
  "spdx:CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
  "spdx:CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
  "spdx:CC-BY-NC-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
};

/** A license's URL for a `spdx:` id (other values are returned unchanged). */
export function licenseUrl(license: string): string {
  return LICENSES[license] ?? license;
}
