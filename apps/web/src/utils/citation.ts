/**
 * Citation text, BibTeX and schema.org JSON-LD for a dandiset version, built
 * from its metadata (contributors with `includeInCitation`, name, version, DOI).
 */
import { buildDatasetJsonLd } from "@dandi/shared";
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
  /** The dandiset's concept DOI (all versions), when it has one: a draft is cited by it. */
  conceptDoi?: string | null;
  /** The canonical page of the version (the API's landing page), for the JSON-LD url. */
  pageUrl?: string;
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
  const doi = doiOf(metadata) || input.conceptDoi || "";
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

/** schema.org `Dataset` JSON-LD for the page head: the builder the API's landing pages use. */
export function buildJsonLd(input: TCitationInput): Record<string, unknown> {
  return buildDatasetJsonLd({
    identifier: input.identifier,
    version: input.version,
    metadata: input.metadata,
    pageUrl: input.pageUrl ?? versionUrl(input),
    webUrl: input.webUrl.replace(/\/+$/, ""),
    conceptDoi: input.conceptDoi,
  });
}

/** A license's URL for a `spdx:` id (the one table the API's landing pages use too). */
export { licenseUrl } from "@dandi/shared";
