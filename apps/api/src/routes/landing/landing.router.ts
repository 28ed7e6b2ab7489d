import { createHash } from "node:crypto";
import { Router, type Request, type Response } from "express";
import { z } from "zod";
import { create } from "xmlbuilder2";
import { ApiError, countSitemapEntries, findPublicVersion, listSitemapEntries } from "@dandi/core";
import { registry } from "../../openapi";
import { DANDISET_ID_RE, VERSION_RE } from "../../lib/path-params";
import { landingUrl, renderLandingPage } from "./render-landing";

const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

registry.registerPath({
  method: "get",
  path: "/api/dandisets/{dandisetId}/versions/{version}/landing/",
  summary: "Landing page of a public version (HTML with schema.org Dataset JSON-LD)",
  description:
    "A server-rendered page for crawlers and link previews: title, description, creators, license, DOIs, " +
    "dates and links to the web app, with Open Graph tags and a schema.org Dataset in JSON-LD. " +
    "Public (OPEN) dandisets only: any other is a 404 for every caller. Cacheable (ETag, Last-Modified).",
  security: [{}],
  responses: {
    200: { description: "The landing page", content: { "text/html": { schema: z.string() } } },
    304: { description: "Not modified (If-None-Match / If-Modified-Since)" },
  },
});
registry.registerPath({
  method: "get",
  path: "/api/sitemap.xml",
  summary: "Sitemap of every public version's landing page (sitemaps.org)",
  description:
    "A <urlset> of the landing pages of every published version and the draft of every public dandiset, " +
    "with lastmod; past SITEMAP_MAX_URLS URLs a <sitemapindex> of ?page=N files.",
  security: [{}],
  request: { query: z.object({ page: z.string().optional() }) },
  responses: {
    200: { description: "A urlset or a sitemap index", content: { "application/xml": { schema: z.string() } } },
  },
});

/** Seconds a cache may keep a page: published versions change only when their DOI arrives. */
const MAX_AGE = { published: 3600, draft: 300 };

/** 304 when the client's copy is current (strong ETag first, then Last-Modified at second granularity). */
function notModified(req: Request, etag: string, lastModified: Date): boolean {
  const inm = req.get("if-none-match");
  if (inm) return inm.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
  const ims = req.get("if-modified-since");
  if (!ims) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

function sendCached(req: Request, res: Response, body: () => string, etag: string, lastModified: Date, maxAge: number) {
  res.set({
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
    "Cache-Control": `public, max-age=${maxAge}`,
  });
  if (notModified(req, etag, lastModified)) return res.status(304).end();
  return res.send(body());
}

/** The landing pages and the sitemap: public dandisets only, the same for every caller. */
export function landingRouter(): Router {
  const router = Router();
  router.get("/dandisets/:dandisetId/versions/:version/landing/", async (req, res) => {
    const { dandisetId, version } = req.params;
    if (!DANDISET_ID_RE.test(dandisetId) || !VERSION_RE.test(version)) throw ApiError.notFound();
    // The read policy as an anonymous caller sees it: an embargoed dandiset is a 404 even to its owners.
    const found = await findPublicVersion(req.deps.prisma, Number(dandisetId), version);
    if (!found) throw ApiError.notFound();
    const { DANDI_API_URL, DANDI_WEB_APP_URL } = req.deps.config;
    const lastModified = found.modified;
    const etag = `"${createHash("sha256")
      .update(JSON.stringify([found.id, found.modified.toISOString(), found.doi, found.conceptDoi, DANDI_WEB_APP_URL]))
      .digest("base64url")
      .slice(0, 27)}"`;
    res.type("html");
    return sendCached(
      req,
      res,
      () => renderLandingPage(found, { apiUrl: DANDI_API_URL, webUrl: DANDI_WEB_APP_URL }),
      etag,
      lastModified,
      version === "draft" ? MAX_AGE.draft : MAX_AGE.published,
    );
  });

  router.get("/sitemap.xml", async (req, res) => {
    const { prisma, config } = req.deps;
    const perFile = config.SITEMAP_MAX_URLS;
    const total = await countSitemapEntries(prisma);
    const files = Math.max(1, Math.ceil(total / perFile));
    const rawPage = req.query.page;
    // Input errors first: an error answered after res.type() would go out as XML-typed JSON.
    if (typeof rawPage !== "undefined" && (typeof rawPage !== "string" || !/^\d+$/.test(rawPage))) {
      throw ApiError.fields({ page: ["A valid integer is required."] });
    }
    const page = rawPage === undefined ? 1 : Number(rawPage);
    if (page < 1 || page > files) throw ApiError.notFound("Invalid page.");
    res.type("application/xml");
    res.set("Cache-Control", "public, max-age=3600");
    if (rawPage === undefined && files > 1) {
      const doc = create({ version: "1.0", encoding: "UTF-8" }).ele(SITEMAP_NS, "sitemapindex");
      for (let n = 1; n <= files; n++) {
        doc.ele("sitemap").ele("loc").txt(`${config.DANDI_API_URL}/api/sitemap.xml?page=${n}`);
      }
      return res.send(doc.end({ prettyPrint: true }));
    }
    const entries = await listSitemapEntries(prisma, (page - 1) * perFile, perFile);
    const doc = create({ version: "1.0", encoding: "UTF-8" }).ele(SITEMAP_NS, "urlset");
    for (const e of entries) {
      const url = doc.ele("url");
      url.ele("loc").txt(landingUrl(config.DANDI_API_URL, e.dandisetId, e.version));
      url.ele("lastmod").txt(`${e.modified.toISOString().slice(0, 19)}Z`);
      url.ele("changefreq").txt(e.version === "draft" ? "weekly" : "yearly");
    }
    return res.send(doc.end({ prettyPrint: true }));
  });
  return router;
}
