import Handlebars from "handlebars";
import { marked } from "marked";
import sanitizeHtml from "sanitize-html";
import {
  buildDatasetJsonLd,
  citedContributors,
  contributorIdUrl,
  formatDandisetIdentifier,
  licenseUrl,
  type TPublicVersion,
} from "@dandi/core";

/**
 * The landing page of a public dandiset version, for crawlers and link previews: a small
 * Handlebars template (every `{{value}}` HTML-escaped by Handlebars), the description's
 * markdown rendered by marked and cleaned by sanitize-html (an allow-list of tags and
 * attributes, links limited to http(s)/mailto), and the schema.org Dataset JSON-LD of
 * buildDatasetJsonLd, the builder the web app uses too.
 */
const TEMPLATE = Handlebars.compile(
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
<meta name="description" content="{{summary}}">
<link rel="canonical" href="{{pageUrl}}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="DANDI Archive">
<meta property="og:title" content="{{title}}">
<meta property="og:description" content="{{summary}}">
<meta property="og:url" content="{{pageUrl}}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{title}}">
<meta name="twitter:description" content="{{summary}}">
{{#if doi}}<meta name="citation_doi" content="{{doi}}">
{{/if}}<script type="application/ld+json">{{{jsonLd}}}</script>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2937}
dt{font-weight:600}dd{margin:0 0 .5rem 0}a{color:#1d4ed8}.meta{color:#4b5563}</style>
</head>
<body>
<header><p class="meta">DANDI Archive · Dandiset {{identifier}} · Version {{version}}</p>
<h1>{{name}}</h1></header>
<main>
<p><a href="{{appUrl}}">Open this dandiset in the DANDI Archive</a></p>
{{#if creators.length}}<h2>Creators</h2>
<ul class="creators">{{#each creators}}<li>{{#if url}}<a href="{{url}}">{{name}}</a>{{else}}{{name}}{{/if}}</li>{{/each}}</ul>
{{/if}}<h2>Description</h2>
<div class="description">{{{descriptionHtml}}}</div>
<h2>Details</h2>
<dl>
<dt>Identifier</dt><dd>DANDI:{{identifier}}/{{version}}</dd>
{{#if doi}}<dt>DOI of this version</dt><dd><a href="https://doi.org/{{doi}}">{{doi}}</a></dd>
{{/if}}{{#if conceptDoi}}<dt>DOI of all versions</dt><dd class="concept-doi"><a href="https://doi.org/{{conceptDoi}}">{{conceptDoi}}</a></dd>
{{/if}}{{#if licenses.length}}<dt>License</dt><dd>{{#each licenses}}<a href="{{url}}">{{id}}</a> {{/each}}</dd>
{{/if}}{{#if dateCreated}}<dt>Created</dt><dd>{{dateCreated}}</dd>
{{/if}}{{#if datePublished}}<dt>Published</dt><dd>{{datePublished}}</dd>
{{/if}}<dt>Last modified</dt><dd>{{dateModified}}</dd>
{{#if keywords.length}}<dt>Keywords</dt><dd>{{#each keywords}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}</dd>
{{/if}}{{#if citation}}<dt>Cite as</dt><dd class="citation">{{citation}}</dd>
{{/if}}</dl>
<p><a href="{{apiUrl}}">Metadata (JSON)</a> · <a href="{{assetsUrl}}">Files (JSON)</a></p>
</main>
</body>
</html>
`,
  { strict: false },
);

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "code",
    "em",
    "strong",
    "del",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
  ],
  allowedAttributes: { a: ["href", "title"] },
  allowedSchemes: ["http", "https", "mailto"],
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "nofollow noopener" }) },
};

/** Markdown (DANDI descriptions are markdown) as sanitized HTML. */
export function renderDescription(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return sanitizeHtml(html, SANITIZE);
}

export interface TLandingUrls {
  apiUrl: string;
  webUrl: string;
}

/** The canonical URL of a version's landing page. */
export function landingUrl(apiUrl: string, dandisetId: number, version: string): string {
  return `${apiUrl}/api/dandisets/${formatDandisetIdentifier(dandisetId)}/versions/${version}/landing/`;
}

const plain = (text: string, max: number) => {
  const flat = text
    .replace(/[#*_`>[\]()!~-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The whole page. */
export function renderLandingPage(v: TPublicVersion, urls: TLandingUrls): string {
  const metadata = v.metadata;
  const identifier = formatDandisetIdentifier(v.dandisetId);
  const pageUrl = landingUrl(urls.apiUrl, v.dandisetId, v.version);
  const dateModified = v.modified.toISOString();
  const ld = buildDatasetJsonLd({
    identifier,
    version: v.version,
    metadata,
    pageUrl,
    webUrl: urls.webUrl,
    apiUrl: urls.apiUrl,
    conceptDoi: v.version === "draft" ? null : v.conceptDoi,
    dateModified,
  });
  const name = typeof metadata.name === "string" && metadata.name ? metadata.name : `Dandiset ${identifier}`;
  const description = typeof metadata.description === "string" ? metadata.description : "";
  const doi = typeof metadata.doi === "string" && metadata.doi ? metadata.doi : (v.doi ?? "");
  return TEMPLATE({
    title: `${name} (DANDI:${identifier}/${v.version})`,
    name,
    summary: plain(description, 300),
    pageUrl,
    appUrl: `${urls.webUrl}/dandiset/${identifier}/${v.version}`,
    apiUrl: `${urls.apiUrl}/api/dandisets/${identifier}/versions/${v.version}/`,
    assetsUrl: `${urls.apiUrl}/api/dandisets/${identifier}/versions/${v.version}/assets/`,
    identifier,
    version: v.version,
    doi,
    conceptDoi: v.version === "draft" ? "" : (v.conceptDoi ?? ""),
    creators: citedContributors(metadata).map((c) => ({ name: String(c.name), url: contributorIdUrl(c.identifier) })),
    licenses: (Array.isArray(metadata.license) ? (metadata.license as unknown[]) : [])
      .filter((l): l is string => typeof l === "string")
      .map((l) => ({ id: l.replace(/^spdx:/, ""), url: licenseUrl(l) })),
    keywords: Array.isArray(metadata.keywords) ? metadata.keywords.filter((k) => typeof k === "string") : [],
    dateCreated: typeof metadata.dateCreated === "string" ? metadata.dateCreated : "",
    datePublished: typeof metadata.datePublished === "string" ? metadata.datePublished : "",
    dateModified,
    citation: typeof metadata.citation === "string" ? metadata.citation : "",
    descriptionHtml: renderDescription(description),
    // In a <script> element only "</script" and "<!--" matter; escaping every <, > and & keeps it inert.
    jsonLd: JSON.stringify(ld)
      .replace(/</g, "\\u003c")
      .replace(/>/g, "\\u003e")
      .replace(/&/g, "\\u0026")
      .replace(/\u2028/g, "\\u2028")
      .replace(/\u2029/g, "\\u2029"),
  });
}
