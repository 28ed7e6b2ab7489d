import { describe, expect, it } from "vitest";
import request from "supertest";
import { XMLParser } from "fast-xml-parser";
import type { EmbargoStatus } from "@dandi/db";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext({ SITEMAP_MAX_URLS: "3" });
const { prisma } = ctx;
const owner = await buildUser(prisma);
const auth = { Authorization: `token ${owner.token}` };

const HOSTILE = `Evil </script><script>alert(1)</script> & "quotes"`;

async function seed(status: EmbargoStatus, name: string, published = true) {
  const metadata = {
    schemaVersion: "0.7.0",
    name,
    description: `# Heading\n\nSome **bold** text and <img src=x onerror=alert(2)> [a link](javascript:alert(3)).`,
    license: ["spdx:CC-BY-4.0"],
    keywords: ["mouse", "ecephys"],
    contributor: [
      { schemaKey: "Person", name: "Doe, Jane", identifier: "0000-0002-1825-0097", includeInCitation: true },
      {
        schemaKey: "Organization",
        name: "Lab of Things",
        identifier: "https://ror.org/05dxps055",
        includeInCitation: true,
      },
      { schemaKey: "Person", name: "Not Cited", includeInCitation: false },
    ],
    dateCreated: "2024-01-01T00:00:00+00:00",
  };
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus: status,
      embargoEndDate: status === "OPEN" ? null : new Date("2030-01-01"),
      owners: { create: [{ userId: owner.user.id }] },
      versions: { create: { version: "draft", name, status: "Valid", metadata } },
    },
  });
  if (published) {
    await prisma.version.create({
      data: {
        dandisetId: dandiset.id,
        version: "0.240101.1200",
        name,
        status: "Valid",
        doi: `10.80507/dandi.${String(dandiset.id).padStart(6, "0")}/0.240101.1200`,
        metadata: {
          ...metadata,
          doi: `10.80507/dandi.${String(dandiset.id).padStart(6, "0")}/0.240101.1200`,
          datePublished: "2024-01-01T12:00:00+00:00",
          citation: `Doe, Jane (2024) ${name}`,
        },
      },
    });
    await prisma.$executeRaw`UPDATE dandisets SET concept_doi = ${`10.80507/dandi.${String(dandiset.id).padStart(6, "0")}`},
      concept_doi_status = 'registered', concept_doi_version = '0.240101.1200' WHERE id = ${dandiset.id}`;
  }
  return String(dandiset.id).padStart(6, "0");
}

const open = await seed("OPEN", HOSTILE);
const embargoed = await seed("EMBARGOED", "Hidden embargoed dataset", false);
const unembargoing = await seed("UNEMBARGOING", "Hidden unembargoing dataset", false);
const page = (id: string, v = "0.240101.1200") => `/api/dandisets/${id}/versions/${v}/landing/`;

function jsonLd(html: string): Record<string, unknown> {
  const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, unknown>;
}

describe("landing pages", () => {
  it("renders a public version: escaped text, sanitized markdown, canonical, Open Graph, JSON-LD", async () => {
    const res = await request(ctx.app).get(page(open)).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const html = res.text;
    // One <script> only (the JSON-LD): the name's </script> is escaped everywhere.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("Evil &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");
    expect(html).toContain("<h1>Heading</h1>");
    expect(html).toContain("<strong>bold</strong>");
    const description = /<div class="description">([\s\S]*?)<\/div>/.exec(html)![1]!;
    expect(description).not.toMatch(/<img|onerror|javascript:/);
    // Elsewhere (meta description, JSON-LD) the markdown is text: no raw tag survives.
    expect(html).not.toContain("<img");
    expect(html).toContain(`<link rel="canonical" href="http://api.test${page(open)}">`);
    expect(html).toContain('<meta property="og:title"');
    expect(html).toContain('<meta name="twitter:card" content="summary">');
    expect(html).toContain(`href="http://web.test/dandiset/${open}/0.240101.1200"`);
    expect(html).toContain(`<a href="https://doi.org/10.80507/dandi.${open}">10.80507/dandi.${open}</a>`);
    expect(html).not.toContain("Not Cited");
    const ld = jsonLd(html);
    expect(ld).toMatchObject({
      "@context": "https://schema.org/",
      "@type": "Dataset",
      name: HOSTILE,
      identifier: `https://doi.org/10.80507/dandi.${open}/0.240101.1200`,
      url: `http://api.test${page(open)}`,
      version: "0.240101.1200",
      license: ["https://creativecommons.org/licenses/by/4.0/"],
      keywords: ["mouse", "ecephys"],
      datePublished: "2024-01-01T12:00:00+00:00",
      isAccessibleForFree: true,
      includedInDataCatalog: { "@type": "DataCatalog", name: "DANDI Archive" },
      isPartOf: { "@id": `https://doi.org/10.80507/dandi.${open}` },
      creator: [
        { "@type": "Person", name: "Doe, Jane", sameAs: "https://orcid.org/0000-0002-1825-0097" },
        { "@type": "Organization", name: "Lab of Things", sameAs: "https://ror.org/05dxps055" },
      ],
    });
    expect(ld.distribution).toEqual([expect.objectContaining({ "@type": "DataDownload" })]);
    expect(typeof ld.dateModified).toBe("string");
  });

  it("is cacheable: public Cache-Control, ETag and Last-Modified answered with 304", async () => {
    const first = await request(ctx.app).get(page(open)).expect(200);
    expect(first.headers["cache-control"]).toBe("public, max-age=3600");
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    await request(ctx.app).get(page(open)).set("If-None-Match", etag).expect(304);
    await request(ctx.app)
      .get(page(open))
      .set("If-Modified-Since", first.headers["last-modified"] as string)
      .expect(304);
    await request(ctx.app).get(page(open)).set("If-None-Match", '"other"').expect(200);
    const draft = await request(ctx.app).get(page(open, "draft")).expect(200);
    expect(draft.headers["cache-control"]).toBe("public, max-age=300");
  });

  it("is a 404 for every caller, owners included, when the dandiset is not OPEN", async () => {
    for (const id of [embargoed, unembargoing]) {
      for (const headers of [{}, auth]) {
        const res = await request(ctx.app).get(page(id, "draft")).set(headers).expect(404);
        expect(res.body).toEqual({ detail: "Not found." });
        expect(res.text).not.toContain("Hidden");
      }
    }
    await request(ctx.app).get(page("999999")).expect(404);
    await request(ctx.app).get("/api/dandisets/abc/versions/draft/landing/").expect(404);
  });
});

describe("sitemap", () => {
  const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ["url", "sitemap"].includes(name) });

  it("lists the public versions only, as an index past SITEMAP_MAX_URLS", async () => {
    const one = parser.parse((await request(ctx.app).get("/api/sitemap.xml").expect(200)).text);
    // 2 URLs (draft + published of the open dandiset) fit in one file of 3.
    expect(one.urlset.url.map((u: { loc: string }) => u.loc)).toEqual([
      `http://api.test${page(open, "draft")}`,
      `http://api.test${page(open)}`,
    ]);
    expect(one.urlset.url[0].lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const more = [await seed("OPEN", "Second"), await seed("OPEN", "Third")];
    const index = await request(ctx.app).get("/api/sitemap.xml").expect(200);
    expect(index.headers["content-type"]).toMatch(/^application\/xml/);
    const files = parser.parse(index.text).sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
    expect(files).toEqual(["http://api.test/api/sitemap.xml?page=1", "http://api.test/api/sitemap.xml?page=2"]);
    const locs: string[] = [];
    for (const n of [1, 2]) {
      const file = parser.parse((await request(ctx.app).get(`/api/sitemap.xml?page=${n}`).expect(200)).text);
      locs.push(...file.urlset.url.map((u: { loc: string }) => u.loc));
    }
    expect(locs).toHaveLength(6);
    for (const id of [open, ...more]) expect(locs).toContain(`http://api.test${page(id)}`);
    expect(locs.join()).not.toMatch(new RegExp(`${embargoed}|${unembargoing}`));
    await request(ctx.app)
      .get("/api/sitemap.xml?page=3")
      .expect(404)
      .expect("Content-Type", /application\/json/);
    await request(ctx.app)
      .get("/api/sitemap.xml?page=x")
      .expect(400)
      .expect("Content-Type", /application\/json/);
  });

  it("is announced in robots.txt", async () => {
    const robots = await request(ctx.app).get("/robots.txt").expect(200);
    expect(robots.text).toContain("Sitemap: http://api.test/api/sitemap.xml");
  });
});
