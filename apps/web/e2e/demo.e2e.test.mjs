/* global document, window, fetch, Buffer */
/**
 * The first five minutes, on the demo archive that `pnpm dev` seeds: the real
 * `manage seed-demo --full` (NWB files written by pynwb, publish with DOI,
 * embargo, stars, users in every review state) against a fresh database, in
 * development mode, then headless Chromium walks: the home page, every list
 * ordering and page 2, the published version's landing page with its DOI, the
 * file browser's folders, sign-in as the demo admin with the printed password,
 * the admin tables (filters, search, a user's detail, the audit log) and the API
 * key page's CLI variable. Screenshots go to artifacts/screenshots/demo-*.png.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, startStack } from "./harness.mjs";

let ctx;
let accounts;
/** apps/api/src/manage/commands/demo-archive.ts seeds 30, one of them embargoed. */
const DEMO_DANDISET_COUNT = 30;

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `demo-${name}.png`), fullPage: true });

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await ctx.browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) problems.push(msg.text());
  });
  page.problems = problems;
  return page;
}

async function apiGet(apiPath) {
  const res = await fetch(`${ctx.apiUrl}/api${apiPath}`);
  assert.equal(res.status, 200, apiPath);
  return res.json();
}

/** The names of the dandiset cards on the page, in order. */
const cardNames = (page) => page.locator(".dandiset-card h3").allTextContents();

before(
  async () => {
    ctx = await startStack({ apiEnv: { NODE_ENV: "development" }, seedArgs: ["seed-demo", "--full"] });
    // The credentials exactly as the seed (and so `pnpm dev`) prints them.
    const line = (who) => new RegExp(`^\\s+${who}:\\s+(\\S+) / (\\S+)$`, "m").exec(ctx.seedOutput);
    const [admin, user] = [line("admin"), line("user")];
    assert.ok(admin && user, ctx.seedOutput);
    accounts = { admin: { email: admin[1], password: admin[2] }, user: { email: user[1], password: user[2] } };
  },
  { timeout: 900_000 },
);

after(async () => {
  await ctx?.close();
});

describe("the seeded demo archive", { concurrency: false }, () => {
  it("home page and lists show content: every ordering, both directions, page 2", async () => {
    const page = await newPage();
    await page.goto(ctx.webUrl, { waitUntil: "networkidle" });
    assert.ok((await cardNames(page)).length >= 6, "the home page lists recent dandisets");
    await shot(page, "home");

    await page.getByRole("link", { name: "Public Dandisets" }).first().click();
    await page.getByText(/^\d+ dandisets$/).waitFor();
    const total = (await apiGet("/dandisets/?page_size=1&empty=false")).count;
    assert.equal(total, DEMO_DANDISET_COUNT - 1, "every dandiset but the embargoed one is public");
    assert.equal(await page.getByText(/^\d+ dandisets$/).textContent(), `${total} dandisets`);

    for (const [label, field] of [
      ["Identifier", "id"],
      ["Name", "name"],
      ["Size", "size"],
      ["Stars", "stars"],
      ["Modified", "modified"],
    ]) {
      await page.getByRole("combobox", { name: "Sort by" }).click();
      await page.getByRole("option", { name: label, exact: true }).click();
      if (field !== "modified") await page.waitForURL(new RegExp(`sort=${field}`));
      await page.waitForLoadState("networkidle");
      const expected = (await apiGet(`/dandisets/?ordering=-${field}&page_size=8&empty=false`)).results.map(
        (d) => (d.most_recent_published_version ?? d.draft_version).name,
      );
      assert.deepEqual(await cardNames(page), expected, `ordering by ${field}`);
      if (field === "stars") await shot(page, "list-stars");
    }
    // Ascending, then the second page; both kept in the URL.
    await page.getByRole("button", { name: /sort ascending/ }).click();
    await page.waitForURL(/dir=asc/);
    await page.getByRole("button", { name: "Page 2" }).click();
    await page.waitForURL(/page=2/);
    await page.waitForLoadState("networkidle");
    const page2 = (await apiGet("/dandisets/?ordering=modified&page=2&page_size=8&empty=false")).results.map(
      (d) => (d.most_recent_published_version ?? d.draft_version).name,
    );
    assert.deepEqual(await cardNames(page), page2);
    await shot(page, "list-page2");
    await page.reload({ waitUntil: "networkidle" });
    assert.deepEqual(await cardNames(page), page2, "the URL keeps order, direction and page");
    assert.deepEqual(page.problems, []);
  });

  it("the published version's landing page shows its DOI; the file browser shows folders of NWB and other files", async () => {
    const page = await newPage();
    const versions = (await apiGet("/dandisets/000001/versions/")).results.filter((v) => v.version !== "draft");
    assert.equal(versions.length, 2, "dandiset 000001 was published twice");
    const latest = versions.at(-1).version;
    await page.goto(`${ctx.webUrl}/dandiset/000001/${latest}`, { waitUntil: "networkidle" });
    const doi = `10.80507/dandi.000001/${latest}`;
    await page.getByRole("link", { name: doi }).waitFor();
    await page.getByText("Hippocampal place cells during linear track running in mice").first().waitFor();
    await shot(page, "landing-published");

    await page.goto(`${ctx.webUrl}/dandiset/000001/draft/files`, { waitUntil: "networkidle" });
    for (const folder of ["sub-mouse01/", "sub-mouse02/", "derivatives/", "code/"]) {
      await page.getByRole("link", { name: folder }).waitFor();
    }
    await page.getByText("README.md").waitFor();
    await page.getByText("participants.tsv").waitFor();
    await shot(page, "files-root");
    await page.getByRole("link", { name: "sub-mouse01/" }).click();
    await page.waitForURL(/location=sub-mouse01/);
    await page.getByText("sub-mouse01_ses-01_ecephys.nwb").waitFor();
    await page.getByText("sub-mouse01_ses-02_ecephys.nwb").waitFor();
    await shot(page, "files-subject");
    // The file the link serves is the NWB (HDF5) file the seed wrote.
    const href = await page
      .getByRole("link", { name: "Download sub-mouse01/sub-mouse01_ses-01_ecephys.nwb" })
      .getAttribute("href");
    const body = Buffer.from(await (await fetch(href)).arrayBuffer());
    assert.equal(body.subarray(0, 8).toString("latin1"), "\x89HDF\r\n\x1a\n");
    assert.deepEqual(page.problems, []);
  });

  it("signs in as the demo admin with the printed password; admin tables filter, search, show a user and the audit log", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/signin`, { waitUntil: "networkidle" });
    await page.getByTestId("signin-methods").getByText("e-mail and password").waitFor();
    await shot(page, "signin");
    await page.getByLabel("E-mail").fill(accounts.admin.email);
    await page.getByLabel("Password").fill(accounts.admin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));

    await page.goto(`${ctx.webUrl}/admin`, { waitUntil: "networkidle" });
    // Pending users with readable questionnaire answers and formatted dates.
    const haddad = page.getByRole("row", { name: /Samir Haddad/ });
    await haddad.getByText("Depositing two-photon imaging data for a paper under review.").waitFor();
    assert.match(await haddad.textContent(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await shot(page, "admin-pending");

    await page.getByRole("link", { name: "All users" }).click();
    await page.getByLabel("Status").selectOption("REJECTED");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=REJECTED/);
    await page.getByRole("row", { name: /Spam Account/ }).waitFor();
    assert.equal(await page.locator(".admin-table tbody tr").count(), 1);
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Search").fill("lindqvist");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/search=lindqvist/);
    await page.getByRole("row", { name: /Maja Lindqvist/ }).waitFor();
    assert.equal(await page.locator(".admin-table tbody tr").count(), 1);
    await shot(page, "admin-users-search");

    // The demo owner's detail lists their dandisets, the embargoed one included.
    await page.getByLabel("Search").fill("demo@example.org");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.getByRole("link", { name: "Demo User" }).click();
    await page.waitForURL(/\/admin\/users\//);
    await page.getByRole("heading", { name: /^Dandisets \(\d+\)$/ }).waitFor();
    // All 30, the embargoed one included (anonymous visitors see 29).
    const owned = await page.getByRole("heading", { name: /^Dandisets/ }).textContent();
    assert.equal(owned, `Dandisets (${DEMO_DANDISET_COUNT})`);
    await page.locator(".dandiset-card").first().waitFor();
    await shot(page, "admin-user-detail");

    await page.goto(`${ctx.webUrl}/admin?tab=audit`, { waitUntil: "networkidle" });
    await page.getByLabel("Action").selectOption("publish_dandiset");
    await page.getByLabel("Dandiset").fill("000001");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/record_type=publish_dandiset/);
    await page.waitForLoadState("networkidle");
    const rows = page.locator(".admin-table tbody tr");
    assert.equal(await rows.count(), 2, "000001 was published twice");
    assert.match(await rows.first().textContent(), /publish dandiset.*version 0\.\d{6}\.\d{4}/s);
    await shot(page, "admin-audit");
    await page.getByLabel("Action").selectOption("change_user_status");
    await page.getByLabel("Dandiset").fill("");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/record_type=change_user_status/);
    await page.getByText("PENDING → REJECTED").waitFor();
    assert.deepEqual(page.problems, []);
  });

  it("the API key page names the variable the dandi CLI reads for this archive", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/signin`);
    await page.getByLabel("E-mail").fill(accounts.user.email);
    await page.getByLabel("Password").fill(accounts.user.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
    await page.goto(`${ctx.webUrl}/account`, { waitUntil: "networkidle" });
    // An archive the CLI does not know is named after the API's host and port (dandi-cli _get_instance).
    const { host } = new URL(ctx.apiUrl);
    const envVar = `${host.toUpperCase()}_API_KEY`;
    await page.getByTestId("cli-env-var").getByText(envVar).waitFor();
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("button", { name: "Generate a new API key" }).click();
    const key = (await page.getByTestId("api-key").textContent()).trim();
    const commands = await page.getByTestId("cli-commands").textContent();
    assert.ok(commands.includes(`env '${envVar}=${key}' dandi download ${ctx.apiUrl}/api/dandisets/000001/`), commands);
    await shot(page, "account-api-key");
    // The key shown authenticates as the CLI would use it.
    const res = await fetch(`${ctx.apiUrl}/api/auth/token/`, { headers: { Authorization: `token ${key}` } });
    assert.equal(res.status, 200);
    assert.deepEqual(page.problems, []);
  });

  it("the home page at phone width has no horizontal overflow", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(ctx.webUrl, { waitUntil: "networkidle" });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(wide, false);
    await shot(page, "home-phone");
  });
});
