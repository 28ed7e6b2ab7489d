/**
 * Citations of a dandiset version in the formats DANDI's "How to cite" offers
 * (APA, MLA, Chicago, Harvard, Vancouver, IEEE, BibTeX, RIS, CFF), and schema.org
 * JSON-LD, built from its metadata (contributors with `includeInCitation`, name,
 * version, DOI). Written here rather than with citation-js: its CSL engine and
 * styles would be far larger than the page, and DataCite's content negotiation
 * only knows registered DOIs (never a draft's).
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

interface TAuthor {
  family: string;
  given: string;
  /** An organization: its name, used as is. */
  literal?: string;
}

/** Cited contributors as authors: a person's "Family, Given" split, an organization's name kept whole. */
function authorsOf(metadata: TMetadata): TAuthor[] {
  return citedContributors(metadata).map((c) => {
    const [family, ...given] = c.name!.split(",").map((part) => part.trim());
    if (c.schemaKey === "Organization" || !given.length) return { family: c.name!, given: "", literal: c.name! };
    return { family: family!, given: given.join(" ") };
  });
}
const initials = (given: string, sep = " ") =>
  given
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((n) => `${n[0]!.toUpperCase()}.`)
    .join(sep);
/** "A, B, & C" (APA), "A, B, and C" (Chicago), ... */
function joinNames(names: string[], last: string, max = Infinity, etAl = " et al."): string {
  if (names.length > max) return `${names[0]}${etAl}`;
  if (names.length <= 1) return names[0] ?? "";
  if (names.length === 2) return `${names[0]}${last.trim() === "&" ? " & " : ` ${last.trim()} `}${names[1]}`;
  return `${names.slice(0, -1).join(", ")},${last}${names.at(-1)}`;
}

interface TParts {
  authors: TAuthor[];
  title: string;
  year: string;
  version: string;
  link: string;
}
function partsOf(input: TCitationInput): TParts {
  const doi = doiOf(input.metadata);
  return {
    authors: authorsOf(input.metadata),
    title: typeof input.metadata.name === "string" ? input.metadata.name : `Dandiset ${input.identifier}`,
    year: yearOf(input.metadata),
    version: input.version,
    link: doi ? `https://doi.org/${doi}` : versionUrl(input),
  };
}

/** APA 7th: "Doe, J., & Roe, R. (2024). Title (Version v) [Data set]. DANDI Archive. link". */
export function formatApa(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a) => a.literal ?? `${a.family}, ${initials(a.given)}`);
  const head = names.length ? `${joinNames(names, " & ")} (${year}). ${title}` : `${title} (${year})`;
  return `${head} (Version ${version}) [Data set]. DANDI Archive. ${link}`;
}

/** MLA 9th: "Doe, Jane, and Richard Roe. “Title.” Version v, DANDI Archive, 2024, link." */
export function formatMla(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a, i) => a.literal ?? (i === 0 ? `${a.family}, ${a.given}` : `${a.given} ${a.family}`));
  const head = names.length ? `${joinNames(names, " and ", 2, ", et al")}. ` : "";
  return `${head}“${title}.” Version ${version}, DANDI Archive, ${year}, ${link}.`;
}

/** Chicago (author-date): "Doe, Jane, and Richard Roe. 2024. “Title.” Version v. DANDI Archive. link." */
export function formatChicago(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a, i) => a.literal ?? (i === 0 ? `${a.family}, ${a.given}` : `${a.given} ${a.family}`));
  const head = names.length ? `${joinNames(names, " and ", 10)}. ${year}.` : `${year}.`;
  return `${head} “${title}.” Version ${version}. DANDI Archive. ${link}.`;
}

/** Harvard: "Doe, J. and Roe, R. (2024) Title (Version v) [Data set]. DANDI Archive. Available at: link." */
export function formatHarvard(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a) => a.literal ?? `${a.family}, ${initials(a.given, "")}`);
  const joined = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  const head = joined ? `${joined} (${year})` : `(${year})`;
  return `${head} ${title} (Version ${version}) [Data set]. DANDI Archive. Available at: ${link}.`;
}

/** Vancouver: "Doe J, Roe R. Title (Version v) [Data set]. DANDI Archive; 2024. Available from: link". */
export function formatVancouver(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a) => a.literal ?? `${a.family} ${initials(a.given, "").replace(/\./g, "")}`);
  const head = names.length
    ? `${names.length > 6 ? `${names.slice(0, 6).join(", ")}, et al` : names.join(", ")}. `
    : "";
  return `${head}${title} (Version ${version}) [Data set]. DANDI Archive; ${year}. Available from: ${link}`;
}

/** IEEE: "J. Doe and R. Roe, “Title,” DANDI Archive, Version v, 2024. [Online]. Available: link". */
export function formatIeee(input: TCitationInput): string {
  const { authors, title, year, version, link } = partsOf(input);
  const names = authors.map((a) => a.literal ?? `${initials(a.given)} ${a.family}`);
  const head = names.length ? `${joinNames(names, " and ", 6)}, ` : "";
  return `${head}“${title},” DANDI Archive, Version ${version}, ${year}. [Online]. Available: ${link}`;
}

/** A CITATION.cff (Citation File Format 1.2.0) document, as DANDI offers it, written with the `yaml` package. */
export async function formatCff(input: TCitationInput): Promise<string> {
  const { stringify } = await import("yaml");
  const { metadata, identifier, version } = input;
  const doi = doiOf(metadata);
  const license = Array.isArray(metadata.license) ? (metadata.license as string[]) : [];
  const cff: Record<string, unknown> = {
    "cff-version": "1.2.0",
    message: "If you use this dataset, please cite it as below.",
    type: "dataset",
    title: String(metadata.name ?? `Dandiset ${identifier}`),
    version,
    authors: authorsOf(metadata).map((a) =>
      a.literal ? { name: a.literal } : { "family-names": a.family, "given-names": a.given },
    ),
    ...(doi ? { doi } : {}),
    url: doi ? `https://doi.org/${doi}` : versionUrl(input),
    ...(license.length ? { license: license.map((l) => l.replace(/^spdx:/, "")) } : {}),
    ...(typeof metadata.datePublished === "string" ? { "date-released": metadata.datePublished.slice(0, 10) } : {}),
  };
  return stringify(cff);
}

export type TCitationFormat =
  "text" | "apa" | "mla" | "chicago" | "harvard" | "vancouver" | "ieee" | "bibtex" | "ris" | "cff";
/** The formats DANDI's "How to cite" offers, plus DANDI's own one-line citation ("text"). */
export const CITATION_FORMATS: { value: TCitationFormat; label: string; code: boolean }[] = [
  { value: "text", label: "DANDI", code: false },
  { value: "apa", label: "APA 7th", code: false },
  { value: "mla", label: "MLA 9th", code: false },
  { value: "chicago", label: "Chicago", code: false },
  { value: "harvard", label: "Harvard", code: false },
  { value: "vancouver", label: "Vancouver", code: false },
  { value: "ieee", label: "IEEE", code: false },
  { value: "bibtex", label: "BibTeX", code: true },
  { value: "ris", label: "RIS", code: true },
  { value: "cff", label: "CFF (YAML)", code: true },
];

const FORMATTERS: Record<Exclude<TCitationFormat, "cff">, (input: TCitationInput) => string> = {
  text: formatCitation,
  apa: formatApa,
  mla: formatMla,
  chicago: formatChicago,
  harvard: formatHarvard,
  vancouver: formatVancouver,
  ieee: formatIeee,
  bibtex: formatBibtex,
  ris: formatRis,
};

/** The citation in one of the offered formats (CFF loads the YAML writer on demand). */
export async function formatCitationAs(format: TCitationFormat, input: TCitationInput): Promise<string> {
  return format === "cff" ? formatCff(input) : FORMATTERS[format](input);
}

/** DANDI's suggested sentences for a manuscript's methods and data availability sections. */
export function manuscriptStatements(input: TCitationInput): { methods: string; availability: string } {
  const link = partsOf(input).link;
  return {
    methods: `Data associated with this study are available on the DANDI Archive (RRID:SCR_017571): ${link}`,
    availability: `Data are publicly available on the DANDI Archive (RRID:SCR_017571) at the following URL: ${link}`,
  };
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
