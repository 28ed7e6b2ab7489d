/**
 * The web app's Sentry in headless Chromium: the SPA built with VITE_SENTRY_DSN pointing at a
 * local server that speaks Sentry's envelope protocol. A real fault (a table the API needs is
 * gone) makes the API answer 500; the page reports it, tagged with the API's request id, with the
 * build's environment and release, and without the signature in the page's URL.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import path from "node:path";
import { REPO_ROOT, importTestHelper, startStack } from "./harness.mjs";

const pg = createRequire(path.join(REPO_ROOT, "packages/testing/package.json"))("pg");
const PAGE_SECRET = "5f0c1e2d3b4a59687766554433221100ffeeddccbbaa";

let ctx;
let sentry;

async function sql(query) {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

before(async () => {
  const { startFakeSentry } = await importTestHelper("sentry.ts");
  sentry = await startFakeSentry();
  ctx = await startStack({
    webEnv: {
      VITE_SENTRY_DSN: sentry.dsn,
      VITE_SENTRY_ENVIRONMENT: "web-e2e",
      VITE_SENTRY_RELEASE: "dandi-web@e2e",
    },
  });
});

after(async () => {
  await ctx?.close();
  await sentry?.close();
});

describe("Sentry in the web app", () => {
  it("reports an API 500 met by the page, with the API's request id and no URL signature", async () => {
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await sql('ALTER TABLE "dandisets" RENAME TO "dandisets_moved_away"');
    try {
      const answers = [];
      page.on("response", (r) => {
        if (r.url().startsWith(ctx.apiUrl) && r.status() >= 500) answers.push(r.headers()["x-request-id"]);
      });
      await page.goto(`${ctx.webUrl}/dandiset/000001?signature=${PAGE_SECRET}&token=${ctx.token}`);
      const event = await sentry.waitForEvent((e) => e.tags?.api_status === 500, 30_000);
      assert.equal(event.environment, "web-e2e");
      assert.equal(event.release, "dandi-web@e2e");
      assert.match(event.message ?? "", /^API GET \/dandisets\/000001\/\S* answered 500$/);
      assert.ok(answers.length > 0, "the page met a 500");
      assert.ok(answers.includes(event.tags.api_request_id), "tagged with the request id the API answered with");
      assert.equal(event.sdk?.name, "sentry.javascript.vue");
      const raw = sentry.rawText();
      assert.ok(!raw.includes(PAGE_SECRET), "the page URL's signature is scrubbed");
      assert.ok(!raw.includes(ctx.token), "no API token");
    } finally {
      await sql('ALTER TABLE "dandisets_moved_away" RENAME TO "dandisets"');
      await context.close();
    }
  });
});
