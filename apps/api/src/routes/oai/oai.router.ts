import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import {
  appendDataciteResource,
  buildDatacitePayload,
  countOaiRecords,
  earliestOaiDatestamp,
  findPublicVersion,
  formatConceptDoi,
  formatDandisetIdentifier,
  formatVersionDoi,
  licenseUrl,
  citedContributors,
  listOaiRecords,
  listOaiSets,
  xmlText,
  type TOaiFilter,
  type TPublicVersion,
} from "@dandi/core";
import type { TConfig } from "@dandi/core";
import { registry } from "../../openapi";
import { landingUrl } from "../landing/render-landing";

/**
 * OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html), the protocol
 * Zenodo and InvenioRDM expose to harvesters: one record per published version of a public
 * dandiset, in oai_dc and oai_datacite (the DataCite kernel-4 document the DOI registration
 * sends). Sets: `license:<SPDX id>` and `species:<taxon id>`. Lists are cut at OAI_PAGE_SIZE
 * with stateless resumption tokens (the filter and the last version id, base64url JSON).
 * Deleted records: "transient" (an admin may delete a published version; no tombstones are kept).
 * Responses are built with xmlbuilder2, which escapes every value.
 */
const OAI_NS = "http://www.openarchives.org/OAI/2.0/";
const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
const OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/";
const DC_NS = "http://purl.org/dc/elements/1.1/";
const OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.1/";

const FORMATS = {
  oai_dc: { schema: "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", namespace: OAI_DC_NS },
  oai_datacite: { schema: "http://schema.datacite.org/oai/oai-1.1/oai.xsd", namespace: OAI_DATACITE_NS },
} as const;
type TFormat = keyof typeof FORMATS;

const VERBS = ["Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords"] as const;
type TVerb = (typeof VERBS)[number];
const ARGUMENTS: Record<TVerb, { required: string[]; optional: string[] }> = {
  Identify: { required: [], optional: [] },
  ListMetadataFormats: { required: [], optional: ["identifier"] },
  ListSets: { required: [], optional: ["resumptionToken"] },
  GetRecord: { required: ["identifier", "metadataPrefix"], optional: [] },
  ListIdentifiers: { required: ["metadataPrefix"], optional: ["from", "until", "set", "resumptionToken"] },
  ListRecords: { required: ["metadataPrefix"], optional: ["from", "until", "set", "resumptionToken"] },
};
const SET_SPEC_RE = /^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$/;

class OaiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ZToken = z.object({
  p: z.enum(["oai_dc", "oai_datacite"]),
  f: z.string().datetime().optional(),
  u: z.string().datetime().optional(),
  s: z.string().regex(SET_SPEC_RE).optional(),
  a: z.number().int().min(0),
  c: z.number().int().min(0),
});
type TToken = z.infer<typeof ZToken>;

const encodeToken = (t: TToken) => Buffer.from(JSON.stringify(t)).toString("base64url");
function decodeToken(raw: string): TToken {
  try {
    return ZToken.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new OaiError("badResumptionToken", "The resumptionToken is invalid or has expired.");
  }
}

/** "YYYY-MM-DD" or "YYYY-MM-DDThh:mm:ssZ" (the repository's granularity); `end`: a day's last second. */
function parseDatestamp(name: string, raw: string, end: boolean): { date: Date; day: boolean } {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(raw);
  if (!day && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(raw)) {
    throw new OaiError("badArgument", `${name} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ`);
  }
  const date = new Date(day ? `${raw}T${end ? "23:59:59" : "00:00:00"}Z` : raw);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== raw.slice(0, 10)) {
    throw new OaiError("badArgument", `${name} is not a valid date`);
  }
  return { date, day };
}

const datestamp = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

/** oai:<web app host>:<dandiset id>/<version> */
function recordIdentifier(config: TConfig, v: Pick<TPublicVersion, "dandisetId" | "version">): string {
  return `oai:${new URL(config.DANDI_WEB_APP_URL).hostname}:${formatDandisetIdentifier(v.dandisetId)}/${v.version}`;
}

function parseIdentifier(config: TConfig, raw: string): { dandisetId: number; version: string } | null {
  const prefix = `oai:${new URL(config.DANDI_WEB_APP_URL).hostname}:`;
  if (!raw.startsWith(prefix)) return null;
  const m = /^(\d{6})\/(0\.\d{6}\.\d{4})$/.exec(raw.slice(prefix.length));
  return m ? { dandisetId: Number(m[1]), version: m[2]! } : null;
}

function setSpecs(v: TPublicVersion): string[] {
  const specs = new Set<string>();
  const licenses = Array.isArray(v.metadata.license) ? v.metadata.license : [];
  for (const l of licenses) if (typeof l === "string") specs.add(`license:${l.replace(/^spdx:/, "")}`);
  const summary = (v.metadata.assetsSummary ?? {}) as { species?: unknown };
  for (const s of Array.isArray(summary.species) ? summary.species : []) {
    const id = (s as { identifier?: unknown })?.identifier;
    if (typeof id === "string") specs.add(`species:${id.replace(/^.*[/#]/, "")}`);
  }
  return [...specs].filter((s) => SET_SPEC_RE.test(s));
}

function appendHeader(parent: XMLBuilder, config: TConfig, v: TPublicVersion) {
  const header = parent.ele("header");
  header.ele("identifier").txt(recordIdentifier(config, v));
  header.ele("datestamp").txt(datestamp(v.modified));
  for (const spec of setSpecs(v)) header.ele("setSpec").txt(spec);
}

function dataciteAttributes(config: TConfig, v: TPublicVersion): Record<string, unknown> {
  const doi = v.doi ?? formatVersionDoi(config, v.dandisetId, v.version);
  const { attributes } = buildDatacitePayload(doi, v.metadata, false, {
    relatedIdentifiers: [
      { relatedIdentifier: v.conceptDoi ?? formatConceptDoi(config, v.dandisetId), relationType: "IsVersionOf" },
    ],
  }).data;
  return attributes;
}

function appendMetadata(parent: XMLBuilder, config: TConfig, v: TPublicVersion, format: TFormat) {
  const metadata = parent.ele("metadata");
  if (format === "oai_datacite") {
    const wrapper = metadata.ele(OAI_DATACITE_NS, "oai_datacite", {
      "xmlns:xsi": XSI_NS,
      "xsi:schemaLocation": `${OAI_DATACITE_NS} ${FORMATS.oai_datacite.schema}`,
    });
    wrapper.ele("schemaVersion").txt("4");
    wrapper.ele("datacentreSymbol").txt(config.DANDI_INSTANCE_NAME);
    appendDataciteResource(wrapper.ele("payload"), dataciteAttributes(config, v));
    return;
  }
  const m = v.metadata;
  const dc = metadata.ele(OAI_DC_NS, "oai_dc:dc", {
    "xmlns:dc": DC_NS,
    "xmlns:xsi": XSI_NS,
    "xsi:schemaLocation": `${OAI_DC_NS} ${FORMATS.oai_dc.schema}`,
  });
  const add = (name: string, value: unknown) => {
    const text = xmlText(value);
    if (text) dc.ele(DC_NS, `dc:${name}`).txt(text);
  };
  add("title", m.name);
  for (const c of citedContributors(m)) add("creator", c.name);
  for (const k of Array.isArray(m.keywords) ? m.keywords : []) add("subject", k);
  add("description", m.description);
  add("publisher", "DANDI Archive");
  add("date", typeof m.datePublished === "string" ? m.datePublished.slice(0, 10) : "");
  add("type", "Dataset");
  const doi = v.doi ?? (typeof m.doi === "string" ? m.doi : "");
  if (doi) add("identifier", `https://doi.org/${doi}`);
  add("identifier", landingUrl(config.DANDI_API_URL, v.dandisetId, v.version));
  if (v.conceptDoi) add("relation", `https://doi.org/${v.conceptDoi}`);
  for (const l of Array.isArray(m.license) ? m.license : []) if (typeof l === "string") add("rights", licenseUrl(l));
}

/** The single value of each argument; a repeated argument is a badArgument. */
function readArguments(req: Request): Record<string, string> {
  const source = (req.method === "POST" ? req.body : req.query) as Record<string, unknown> | undefined;
  const args: Record<string, string> = {};
  for (const [k, v] of Object.entries(source ?? {})) {
    if (typeof v !== "string") throw new OaiError("badArgument", `The argument ${k} is repeated or malformed.`);
    args[k] = v;
  }
  return args;
}

async function respond(req: Request, res: Response) {
  const { prisma, config } = req.deps;
  const baseUrl = `${config.DANDI_API_URL}/api/oai/`;
  const doc = create({ version: "1.0", encoding: "UTF-8" }).ele(OAI_NS, "OAI-PMH", {
    "xmlns:xsi": XSI_NS,
    "xsi:schemaLocation": `${OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd`,
  });
  doc.ele("responseDate").txt(datestamp(new Date()));
  const requestEl = doc.ele("request").txt(baseUrl);
  const send = () => res.type("text/xml").send(doc.end({ prettyPrint: true }));
  let args: Record<string, string> = {};
  let body: XMLBuilder | undefined;
  try {
    args = readArguments(req);
    const verb = args.verb;
    if (!verb || !VERBS.includes(verb as TVerb)) throw new OaiError("badVerb", "Illegal or missing verb.");
    const spec = ARGUMENTS[verb as TVerb];
    const given = Object.keys(args).filter((k) => k !== "verb");
    for (const k of given) {
      if (!spec.required.includes(k) && !spec.optional.includes(k))
        throw new OaiError("badArgument", `Illegal argument: ${k}`);
    }
    if ("resumptionToken" in args) {
      if (given.length > 1) throw new OaiError("badArgument", "resumptionToken is an exclusive argument.");
    } else {
      for (const k of spec.required) if (!(k in args)) throw new OaiError("badArgument", `Missing argument: ${k}`);
    }
    // Echo the request (valid arguments only, as the protocol asks).
    for (const [k, v] of Object.entries(args)) requestEl.att(k, xmlText(v));
    body = doc.ele(verb);
    await VERB_HANDLERS[verb as TVerb](body, args, { prisma, config, baseUrl });
    return send();
  } catch (err) {
    if (!(err instanceof OaiError)) throw err;
    // An error replaces the verb's element (the schema allows one or the other).
    body?.remove();
    // badVerb and badArgument: the request element carries no attributes.
    if (err.code !== "badVerb" && err.code !== "badArgument") {
      for (const [k, v] of Object.entries(args)) requestEl.att(k, xmlText(v));
    }
    doc.ele("error", { code: err.code }).txt(err.message);
    return send();
  }
}

interface TOaiContext {
  prisma: Request["deps"]["prisma"];
  config: TConfig;
  baseUrl: string;
}

function metadataFormat(raw: string): TFormat {
  if (!(raw in FORMATS)) throw new OaiError("cannotDisseminateFormat", `Unsupported metadataPrefix: ${raw}`);
  return raw as TFormat;
}

async function listRecords(body: XMLBuilder, args: Record<string, string>, ctx: TOaiContext, withMetadata: boolean) {
  let token: TToken;
  if (args.resumptionToken !== undefined) {
    token = decodeToken(args.resumptionToken);
  } else {
    const from = args.from !== undefined ? parseDatestamp("from", args.from, false) : undefined;
    const until = args.until !== undefined ? parseDatestamp("until", args.until, true) : undefined;
    if (from && until && from.day !== until.day)
      throw new OaiError("badArgument", "from and until differ in granularity.");
    if (from && until && from.date > until.date) throw new OaiError("badArgument", "from is later than until.");
    if (args.set !== undefined && !SET_SPEC_RE.test(args.set)) throw new OaiError("badArgument", "Malformed set.");
    token = {
      p: metadataFormat(args.metadataPrefix!),
      f: from?.date.toISOString(),
      u: until?.date.toISOString(),
      s: args.set,
      a: 0,
      c: 0,
    };
  }
  const filter: TOaiFilter = {
    from: token.f ? new Date(token.f) : undefined,
    until: token.u ? new Date(token.u) : undefined,
    set: token.s,
  };
  const pageSize = ctx.config.OAI_PAGE_SIZE;
  const [total, rows] = await Promise.all([
    countOaiRecords(ctx.prisma, filter),
    listOaiRecords(ctx.prisma, filter, token.a, pageSize + 1),
  ]);
  const page = rows.slice(0, pageSize);
  if (page.length === 0) {
    if (args.resumptionToken !== undefined)
      throw new OaiError("badResumptionToken", "The resumptionToken is no longer valid.");
    throw new OaiError("noRecordsMatch", "No records match the request.");
  }
  for (const v of page) {
    if (withMetadata) {
      const record = body.ele("record");
      appendHeader(record, ctx.config, v);
      appendMetadata(record, ctx.config, v, token.p);
    } else {
      appendHeader(body, ctx.config, v);
    }
  }
  const more = rows.length > pageSize;
  if (more || token.c > 0) {
    const attrs = { completeListSize: String(Math.max(total, 1)), cursor: String(token.c) };
    const el = body.ele("resumptionToken", attrs);
    if (more) el.txt(encodeToken({ ...token, a: page[page.length - 1]!.id, c: token.c + page.length }));
  }
}

const VERB_HANDLERS: Record<
  TVerb,
  (body: XMLBuilder, args: Record<string, string>, ctx: TOaiContext) => Promise<void>
> = {
  async Identify(body, _args, { prisma, config, baseUrl }) {
    const earliest = await earliestOaiDatestamp(prisma);
    body.ele("repositoryName").txt(`${config.DANDI_INSTANCE_NAME} Archive`);
    body.ele("baseURL").txt(baseUrl);
    body.ele("protocolVersion").txt("2.0");
    body.ele("adminEmail").txt(config.DANDI_ADMIN_EMAIL.replace(/^.*<([^>]+)>.*$/, "$1"));
    body.ele("earliestDatestamp").txt(datestamp(earliest ?? new Date(0)));
    body.ele("deletedRecord").txt("transient");
    body.ele("granularity").txt("YYYY-MM-DDThh:mm:ssZ");
  },
  async ListMetadataFormats(body, args, { prisma, config }) {
    if (args.identifier !== undefined) {
      const id = parseIdentifier(config, args.identifier);
      const found = id && (await findPublicVersion(prisma, id.dandisetId, id.version));
      if (!found) throw new OaiError("idDoesNotExist", "No such record.");
    }
    for (const [prefix, f] of Object.entries(FORMATS)) {
      const el = body.ele("metadataFormat");
      el.ele("metadataPrefix").txt(prefix);
      el.ele("schema").txt(f.schema);
      el.ele("metadataNamespace").txt(f.namespace);
    }
  },
  async ListSets(body, args, { prisma }) {
    if (args.resumptionToken !== undefined) throw new OaiError("badResumptionToken", "ListSets is never cut.");
    const seen = new Set<string>();
    for (const s of await listOaiSets(prisma)) {
      if (seen.has(s.spec) || !SET_SPEC_RE.test(s.spec)) continue;
      seen.add(s.spec);
      const el = body.ele("set");
      el.ele("setSpec").txt(s.spec);
      el.ele("setName").txt(xmlText(s.name));
    }
    if (seen.size === 0) throw new OaiError("noSetHierarchy", "No sets yet: no public version has been published.");
  },
  async GetRecord(body, args, { prisma, config }) {
    const format = metadataFormat(args.metadataPrefix!);
    const id = parseIdentifier(config, args.identifier!);
    const found = id && (await findPublicVersion(prisma, id.dandisetId, id.version));
    if (!found) throw new OaiError("idDoesNotExist", "No such record.");
    const record = body.ele("record");
    appendHeader(record, config, found);
    appendMetadata(record, config, found, format);
  },
  ListIdentifiers: (body, args, ctx) => listRecords(body, args, ctx, false),
  ListRecords: (body, args, ctx) => listRecords(body, args, ctx, true),
};

const ZOaiArguments = z.object({
  verb: z.string().optional(),
  identifier: z.string().optional(),
  metadataPrefix: z.string().optional(),
  from: z.string().optional(),
  until: z.string().optional(),
  set: z.string().optional(),
  resumptionToken: z.string().optional(),
});
const OAI_RESPONSES = {
  200: {
    description: "An OAI-PMH response (errors too, as the protocol has them: <error code=...>)",
    content: { "text/xml": { schema: z.string() } },
  },
};
registry.registerPath({
  method: "get",
  path: "/api/oai/",
  summary: "OAI-PMH 2.0 endpoint (oai_dc, oai_datacite)",
  security: [{}],
  request: { query: ZOaiArguments },
  responses: OAI_RESPONSES,
});
registry.registerPath({
  method: "post",
  path: "/api/oai/",
  summary: "OAI-PMH 2.0 endpoint, arguments as a form",
  security: [{}],
  request: { body: { content: { "application/x-www-form-urlencoded": { schema: ZOaiArguments } } } },
  responses: OAI_RESPONSES,
});

/** /api/oai/: GET with a query, or POST with a form (both are reads). */
export function oaiRouter(): Router {
  const router = Router();
  router.get("/oai/", respond);
  router.post("/oai/", respond);
  return router;
}
