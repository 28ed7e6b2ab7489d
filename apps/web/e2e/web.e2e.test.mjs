/* global fetch, setTimeout, performance, document, window */
/**
 * The built SPA against the real API in headless Chromium: browse and search,
 * a dandiset's landing page and files, a download, password sign-in, sign-in
 * through the local fake GitHub (OAuth redirect, questionnaire, approval), creating
 * a dandiset, editing its metadata, publishing, admin approval. Screenshots of
 * the main pages go to artifacts/screenshots/; the first page's JavaScript
 * size and the pages' first-contentful-paint times are printed.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import zlib from "node:zlib";
import { ADMIN, ARTIFACTS, GITHUB_USER, NEWCOMER, OWNER, PENDING, api, startStack, uploadFile } from "./harness.mjs";

let ctx;
let seeded;

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

async function newPage(viewport = { width: 1280, height: 900 }) {
  const context = await ctx.browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  // A 401 from /users/me/ for an anonymous visitor is expected; anything else logged as an error is not.
  page.on("console", (msg) => {
    if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) problems.push(msg.text());
  });
  page.problems = problems;
  return page;
}

async function signIn(page, { email, password }) {
  await page.goto(`${ctx.webUrl}/signin`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/** Elements (up to 5) that stick out past the right edge of the window: run in the page. */
const overflowing = () =>
  [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map((el) => `${el.tagName}.${el.className}`)
    .slice(0, 5);

const fcp = (page) => page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);

before(
  async () => {
    ctx = await startStack();
    // A dandiset of the owner with files in folders, for the landing page and file browser.
    const created = await api(ctx, "POST", "/dandisets/?embargo=false", {
      name: "Visual cortex recordings in mice",
      metadata: {
        name: "Visual cortex recordings in mice",
        description: "Two-photon imaging of mouse V1 during visual stimulation.",
        license: ["spdx:CC-BY-4.0"],
        keywords: ["mouse", "V1", "two-photon"],
      },
    });
    const id = created.identifier;
    await uploadFile(ctx, id, "README.txt", "Read me first.\n");
    await uploadFile(ctx, id, "sub-01/ses-1/data.txt", "session one data\n".repeat(50));
    await uploadFile(ctx, id, "sub-01/ses-2/data.txt", "session two data\n".repeat(80));
    await uploadFile(ctx, id, "sub-02/notes.txt", "notes\n");
    seeded = { id };
  },
  { timeout: 600_000 },
);

after(async () => {
  await ctx?.close();
});

describe("web app", { concurrency: false }, () => {
  it("home page shows stats and recent dandisets; first-page JS is small", async () => {
    const page = await newPage();
    const scripts = [];
    page.on("response", async (res) => {
      if (res.request().resourceType() === "script") scripts.push(res.body().then((b) => zlib.gzipSync(b).length));
    });
    await page.goto(ctx.webUrl, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Recently updated" }).waitFor();
    await page.getByText("total data size").waitFor();
    const sizes = await Promise.all(scripts);
    const gzipKb = sizes.reduce((a, b) => a + b, 0) / 1024;
    console.log(
      `first page: ${sizes.length} scripts, ${gzipKb.toFixed(1)} KB gzip JavaScript; FCP ${await fcp(page)} ms`,
    );
    assert.ok(gzipKb < 200, `first page JS is ${gzipKb.toFixed(1)} KB gzip`);
    assert.ok((await page.locator(".dandiset-card").count()) > 0, "recent dandisets are listed");
    await shot(page, "home");
    // The cookie notice stays dismissed.
    await page.getByRole("region", { name: "Cookie notice" }).getByRole("button", { name: "OK" }).click();
    await page.reload({ waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Recently updated" }).waitFor();
    assert.equal(await page.getByRole("region", { name: "Cookie notice" }).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("lists and searches dandisets with the state in the URL", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/dandiset`, { waitUntil: "networkidle" });
    console.log(`list page FCP ${await fcp(page)} ms`);
    await page.locator(".dandiset-card").first().waitFor();
    await shot(page, "dandiset-list");
    await page.getByLabel("Search", { exact: true }).fill("Visual cortex");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/search=Visual\+cortex|search=Visual%20cortex/);
    await page.getByText("1 dandiset", { exact: true }).waitFor();
    await page.getByLabel("Sort by").click();
    await page.getByRole("option", { name: "Name" }).click();
    await page.waitForURL(/sort=name/);
    await page.reload({ waitUntil: "networkidle" });
    assert.equal(await page.getByLabel("Search", { exact: true }).inputValue(), "Visual cortex");
    await page.getByRole("link", { name: "Visual cortex recordings in mice" }).waitFor();
    // DANDI's /dandiset/search URL lands on the list with that search (empty dandisets included).
    await page.goto(`${ctx.webUrl}/dandiset/search?search=Visual`);
    await page.waitForURL((url) => url.pathname === "/dandiset" && url.searchParams.get("search") === "Visual");
    assert.equal(new URL(page.url()).searchParams.get("empty"), "true");
    await page.getByRole("link", { name: "Visual cortex recordings in mice" }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("opens a landing page with citation, download command and JSON-LD", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}`, { waitUntil: "networkidle" });
    console.log(`landing page FCP ${await fcp(page)} ms`);
    await page.getByRole("heading", { name: "Visual cortex recordings in mice" }).waitFor();
    assert.equal(
      await page.getByTestId("download-command").textContent(),
      `dandi download ${ctx.apiUrl}/api/dandisets/${seeded.id}/versions/draft/`,
    );
    await page.getByText("How to cite").waitFor();
    // The format menu (a PrimeVue Select, as DANDI's v-select) offers DANDI's styles.
    await page.getByRole("combobox", { name: "Citation format" }).click();
    await page.getByRole("option", { name: "BibTeX" }).click();
    await page.getByText(`@misc{dandi_${seeded.id}_draft`).waitFor();
    await page.getByRole("combobox", { name: "Citation format" }).click();
    await page.getByRole("option", { name: "RIS" }).click();
    await page.getByTestId("citation").filter({ hasText: "TY  - DATA" }).waitFor();
    // The download dialog repeats the exact command, with the manifest link.
    await page.getByRole("button", { name: "More download options" }).click();
    assert.equal(
      await page.getByTestId("download-dialog-command").textContent(),
      `dandi download ${ctx.apiUrl}/api/dandisets/${seeded.id}/versions/draft/`,
    );
    assert.equal(
      await page.getByRole("link", { name: "asset manifest" }).getAttribute("href"),
      `${ctx.apiUrl}/api/dandisets/${seeded.id}/versions/draft/assets/`,
    );
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Share" }).click();
    assert.equal(
      await page.getByLabel("Link to this version").inputValue(),
      `${ctx.webUrl}/dandiset/${seeded.id}/draft`,
    );
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
    assert.equal(ld["@type"], "Dataset");
    assert.equal(ld.name, "Visual cortex recordings in mice");
    await page.getByText("Olive Owner").first().waitFor();
    await shot(page, "landing");
    await page.context().close();
  });

  it("browses files, downloads one and shows its metadata", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft/files`, { waitUntil: "networkidle" });
    await page.getByRole("link", { name: /sub-01\// }).click();
    await page.waitForURL(/location=sub-01/);
    await page.getByRole("link", { name: /ses-1\// }).click();
    await page.getByText("data.txt").waitFor();
    await shot(page, "files");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download sub-01/ses-1/data.txt" }).click(),
    ]);
    const file = path.join(ctx.tmp, "downloaded.txt");
    await download.saveAs(file);
    const { readFileSync } = await import("node:fs");
    assert.equal(readFileSync(file, "utf8"), "session one data\n".repeat(50));
    await page.getByRole("button", { name: "Metadata" }).click();
    await page.getByText('"path": "sub-01/ses-1/data.txt"').waitFor();
    await page.keyboard.press("Escape");
    // Deep link after reload, then back to the root through the breadcrumbs.
    await page.reload({ waitUntil: "networkidle" });
    await page.getByText("data.txt").waitFor();
    await page.getByRole("link", { name: "root" }).click();
    await page.getByText("README.txt").waitFor();
    await page.context().close();
  });

  it("gives owners upload instructions, 'Open with', file deletion and incomplete-upload clearing", async () => {
    const created = await api(ctx, "POST", "/dandisets/?embargo=false", {
      name: "Owner tools",
      metadata: { name: "Owner tools", description: "Files come and go." },
    });
    const id = created.identifier;
    const page = await newPage();
    await signIn(page, OWNER);
    await page.goto(`${ctx.webUrl}/dandiset/${id}/draft/files`, { waitUntil: "networkidle" });
    const commands = await page.getByTestId("upload-commands").textContent();
    assert.ok(commands.includes(`> dandi download ${ctx.apiUrl}/api/dandisets/${id}/versions/draft/`), commands);
    assert.ok(commands.includes(`> dandi upload -i ${ctx.apiUrl}`), commands);
    await shot(page, "files-empty-owner");

    await uploadFile(ctx, id, "sub-01/probe.nwb", "not really NWB\n");
    await uploadFile(ctx, id, "sub-01/keep.txt", "kept\n");
    await page.goto(`${ctx.webUrl}/dandiset/${id}/draft/files?location=sub-01`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Open sub-01/probe.nwb with" }).click();
    const neurosift = page.getByRole("menuitem", { name: "Neurosift" });
    await neurosift.waitFor();
    const href = await neurosift.locator("a").getAttribute("href");
    assert.equal(
      href,
      `https://neurosift.app/nwb?url=${ctx.apiUrl}/api/assets/${(await api(ctx, "GET", `/dandisets/${id}/versions/draft/assets/?path=sub-01/probe.nwb`)).results[0].asset_id}/download/&dandisetId=${id}&dandisetVersion=draft`,
    );
    await shot(page, "files-open-with");
    await page.keyboard.press("Escape");
    assert.equal(await page.getByRole("button", { name: "Open sub-01/keep.txt with" }).count(), 0);

    await page.getByRole("button", { name: "Delete sub-01/probe.nwb" }).click();
    await page.getByRole("dialog").getByText("Really delete this file?").waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    await page.getByText("keep.txt").waitFor();
    // The page now says what it did ("Deleted sub-01/probe.nwb."): the file's row and its actions are gone.
    await page.getByText("Deleted sub-01/probe.nwb.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Delete sub-01/probe.nwb" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Delete sub-01/keep.txt" }).count(), 1);
    const left = await api(ctx, "GET", `/dandisets/${id}/versions/draft/assets/`);
    assert.deepEqual(
      left.results.map((a) => a.path),
      ["sub-01/keep.txt"],
    );

    // An upload the CLI started but never finished shows on the landing page until cleared.
    await api(ctx, "POST", "/uploads/initialize/", {
      contentSize: 10,
      digest: { algorithm: "dandi:dandi-etag", value: "0123456789abcdef0123456789abcdef-1" },
      dandiset: id,
    });
    await page.goto(`${ctx.webUrl}/dandiset/${id}/draft`, { waitUntil: "networkidle" });
    await page.getByText("1 upload was started but not finished.").waitFor();
    await shot(page, "landing-owner");
    await page.getByRole("button", { name: "Clear incomplete uploads" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Clear" }).click();
    await page.getByRole("heading", { name: "Incomplete uploads" }).waitFor({ state: "detached" });
    assert.equal((await api(ctx, "GET", `/dandisets/${id}/uploads/`)).count, 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("signs in, creates a dandiset and edits its metadata", async () => {
    const page = await newPage();
    await signIn(page, OWNER);
    await page.getByRole("link", { name: "New Dandiset" }).click();
    await page.getByLabel("Title").fill("Hippocampus sharp-wave ripples");
    await page.getByLabel("Description").fill("Silicon probe recordings in rat CA1.");
    await page.getByLabel("License").selectOption("spdx:CC0-1.0");
    await shot(page, "create");
    await page.getByRole("button", { name: "Register dandiset" }).click();
    await page.waitForURL(/\/dandiset\/\d{6}\/draft$/);
    const id = /dandiset\/(\d{6})/.exec(page.url())[1];
    await page.getByRole("heading", { name: "Hippocampus sharp-wave ripples" }).waitFor();

    await page.getByRole("link", { name: "Edit metadata" }).click();
    // The form is filled from the saved draft before it is shown.
    await page.waitForFunction(() => document.querySelector("#field_description")?.value.startsWith("Silicon probe"));
    await shot(page, "metadata-editor");
    await page.getByLabel("Dandiset title").fill("");
    await page.getByText("Dandiset title is required").first().waitFor();
    // As DANDI's meditor, a draft with problems can still be saved (it stays Invalid); the state says it is unsaved.
    await page.getByTestId("save-state").getByText("Unsaved changes").waitFor();
    await page.getByLabel("Dandiset title").fill("Hippocampal ripples in rats");
    await page.getByRole("button", { name: "Add Keywords" }).click();
    await page.getByLabel("Keywords 1").fill("ripples");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    const metadata = await api(ctx, "GET", `/dandisets/${id}/versions/draft/`);
    assert.equal(metadata.name, "Hippocampal ripples in rats");
    assert.deepEqual(metadata.keywords, ["ripples"]);

    // Undo and redo, then metadata downloads as YAML.
    const title = page.getByLabel("Dandiset title");
    await title.fill("Temporary title");
    await page.getByRole("button", { name: "Undo" }).click();
    assert.equal(await title.inputValue(), "Hippocampal ripples in rats");
    await page.getByRole("button", { name: "Redo" }).click();
    assert.equal(await title.inputValue(), "Temporary title");
    await page.getByRole("button", { name: "Discard changes" }).click();
    assert.equal(await title.inputValue(), "Hippocampal ripples in rats");
    const [yamlDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "YAML" }).click(),
    ]);
    assert.equal(yamlDownload.suggestedFilename(), `dandiset-${id}-draft.yaml`);
    const { readFileSync: readYaml } = await import("node:fs");
    const yamlText = readYaml(await yamlDownload.path(), "utf8");
    assert.match(yamlText, /^name: Hippocampal ripples in rats$/m);
    assert.match(yamlText, /^keywords:\n {2}- ripples$/m);

    // Unsaved edits are guarded.
    await page.getByLabel("Dandiset title").fill("Unsaved title");
    let asked = false;
    page.once("dialog", (d) => {
      asked = true;
      void d.dismiss();
    });
    await page.getByRole("link", { name: /← DANDI:/ }).click();
    await page.waitForTimeout(300);
    assert.ok(asked, "leaving with unsaved changes asks first");
    assert.match(page.url(), /\/metadata$/);

    // The unsaved edit was kept in localStorage: a later visit offers to restore it.
    await page.waitForTimeout(600);
    const again = await page.context().newPage();
    await again.goto(`${ctx.webUrl}/dandiset/${id}/draft/metadata`);
    await again.getByText("You have unsaved changes from").waitFor();
    await shot(again, "metadata-restore");
    await again.getByRole("button", { name: "Restore" }).click();
    assert.equal(await again.getByLabel("Dandiset title").inputValue(), "Unsaved title");
    assert.ok(await again.getByRole("button", { name: "Save" }).isEnabled());
    await page.context().close();
  });

  it("manages owners and publishes when the draft is valid", async () => {
    const page = await newPage();
    await signIn(page, OWNER);
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft`, { waitUntil: "networkidle" });
    await page.getByRole("button", { name: "Manage owners" }).click();
    await page.getByLabel("Add an owner").fill("Owner");
    // Usernames are never e-mail addresses (made from the local part; see README).
    await page.getByRole("dialog").getByText("(owner)", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();

    // The worker validates the draft; wait until the API says Valid (or give up with what it said).
    let status;
    for (let i = 0; i < 60; i += 1) {
      status = (await api(ctx, "GET", `/dandisets/${seeded.id}/versions/draft/info/`)).status;
      if (status === "Valid" || status === "Invalid") break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status, "Valid", `draft status ${status}`);
    await page.reload({ waitUntil: "networkidle" });
    await page.getByText("No validation errors.").waitFor();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Publish checklist").getByText("Files uploaded").waitFor();
    await shot(page, "publish-dialog");
    await dialog.getByLabel("Release notes (optional)").fill("First public release.");
    assert.ok(await dialog.getByRole("button", { name: "Publish version" }).isDisabled());
    await dialog.getByLabel("I understand that a published version cannot be changed.").check();
    await dialog.getByRole("button", { name: "Publish version" }).click();
    await page.waitForURL(/\/dandiset\/\d{6}\/0\.\d{6}\.\d{4}$/, { timeout: 120_000 });
    await page.getByRole("heading", { name: "Visual cortex recordings in mice" }).waitFor();
    const version = page.url().split("/").pop();
    await page
      .getByTestId("download-command")
      .filter({ hasText: `dandi download ${ctx.apiUrl}/api/dandisets/${seeded.id}/versions/${version}/` })
      .waitFor();
    await shot(page, "published");
    const versions = await api(ctx, "GET", `/dandisets/${seeded.id}/versions/?order=-created`);
    assert.equal(versions.results.find((v) => v.version === version).release_notes, "First public release.");
    assert.equal((await page.getByTestId("release-notes").textContent()).trim(), "First public release.");
    await page.context().close();
  });

  it("lets an admin approve a pending user", async () => {
    const page = await newPage();
    await signIn(page, ADMIN);
    await page.getByRole("link", { name: "Admin", exact: true }).click();
    await page.locator("tr", { hasText: PENDING.email }).waitFor();
    await shot(page, "admin");
    const row = page.locator("tr", { hasText: PENDING.email });
    await row.getByRole("button", { name: "Approve" }).click();
    await page.getByText(`Approved`).first().waitFor();
    const pending = await fetch(`${ctx.apiUrl}/api/admin/users/?status=PENDING`, {
      headers: { Authorization: `token ${ctx.token}` },
    });
    assert.equal(pending.status, 403, "the owner is not an admin");
    await page.getByRole("link", { name: "All users" }).click();
    await page.locator("tr", { hasText: PENDING.email }).getByText("APPROVED").waitFor();
    await page.context().close();
  });

  it("creates an embargoed dandiset and unembargoes it with progress", async () => {
    const page = await newPage();
    await signIn(page, OWNER);
    await page.goto(`${ctx.webUrl}/dandiset/create`);
    await page.getByLabel("Title").fill("Embargoed pilot data");
    await page.getByLabel("Description").fill("Kept private until the paper is out.");
    await page.getByLabel("Embargo this dandiset").check();
    await page.getByRole("button", { name: "Register dandiset" }).click();
    await page.waitForURL(/\/dandiset\/\d{6}\/draft$/);
    const id = /dandiset\/(\d{6})/.exec(page.url())[1];
    await page.locator(".badge", { hasText: "EMBARGOED" }).waitFor();
    // Invisible to anonymous visitors.
    const anonymous = await fetch(`${ctx.apiUrl}/api/dandisets/${id}/`);
    assert.equal(anonymous.status, 401);
    await page.getByRole("button", { name: "Unembargo" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Unembargo" }).click();
    await page.getByText("This dandiset is now public.").waitFor({ timeout: 120_000 });
    assert.equal((await fetch(`${ctx.apiUrl}/api/dandisets/${id}/`)).status, 200);
    await page.context().close();
  });

  it("sends a new user through the questionnaire", async () => {
    const page = await newPage();
    await signIn(page, NEWCOMER);
    await page.waitForURL(/\/questionnaire/);
    await page.getByLabel("First Name").fill("Nora");
    await page.getByLabel("Last Name").fill("Newcomer");
    await page.getByLabel("Affiliation(s)").fill("Example Institute");
    await shot(page, "questionnaire");
    await page.getByRole("button", { name: "Submit" }).click();
    await page.waitForURL(/\/account/);
    // Not an auto-approved domain: the account waits for an admin.
    await page.getByText("pending approval").waitFor();
    await page.getByText("PENDING", { exact: true }).waitFor();
    await page.context().close();
  });

  it("stars and unstars a dandiset on its landing page", async () => {
    const page = await newPage();
    await signIn(page, OWNER);
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft`);
    const star = page.getByRole("button", { name: /^Star/ });
    await star.click();
    await page.getByRole("button", { name: /^Unstar/, pressed: true }).waitFor();
    assert.equal((await page.getByTestId("star-count").textContent()).trim(), "1");
    await shot(page, "starred");
    // The account menu leads to the Starred Dandisets page, which lists it.
    await page.getByRole("button", { name: /^Account menu for/ }).click();
    await page.getByRole("menuitem", { name: "Starred Dandisets" }).click();
    await page.waitForURL(/\/dandiset\/starred$/);
    await page.getByRole("heading", { name: "Starred Dandisets" }).waitFor();
    await page.getByRole("link", { name: "Visual cortex recordings in mice" }).waitFor();
    assert.equal(await page.locator(".dandiset-card").count(), 1);
    await shot(page, "starred-list");
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft`);
    await page.getByRole("button", { name: /^Unstar/, pressed: true }).waitFor();
    assert.equal((await api(ctx, "GET", `/dandisets/${seeded.id}/`)).star_count, 1);
    await page.getByRole("button", { name: /^Unstar/ }).click();
    await page.getByRole("button", { name: /^Star/, pressed: false }).waitFor();
    assert.equal((await page.getByTestId("star-count").textContent()).trim(), "0");
    await page.context().close();
  });

  it("signs a new user in through (fake) GitHub, then an admin approves them", async () => {
    const page = await newPage();
    await page.goto(`${ctx.webUrl}/signin?next=/account`);
    const before = ctx.github.requests.length;
    await page.getByRole("link", { name: "Sign in with GitHub" }).click();
    // API → GitHub's authorize page (the fake approves at once) → API callback → the SPA's questionnaire.
    await page.waitForURL((url) => url.origin === ctx.webUrl && url.pathname === "/questionnaire");
    assert.deepEqual(ctx.github.requests.slice(before), [
      "GET /login/oauth/authorize",
      "POST /login/oauth/access_token",
      "GET /user",
      "GET /user/emails",
    ]);
    await page.getByLabel("First Name").fill("Gina");
    await page.getByLabel("Last Name").fill("Hub");
    await page.getByLabel("Affiliation(s)").fill("Example Lab");
    await page.getByRole("button", { name: "Submit" }).click();
    // Back where the sign-in started; example.net is not an auto-approved domain.
    await page.waitForURL((url) => url.pathname === "/account");
    await page.getByText(GITHUB_USER.name, { exact: true }).waitFor();
    await page.getByText("PENDING", { exact: true }).waitFor();
    await shot(page, "github-signin-pending");

    const admin = await newPage();
    await signIn(admin, ADMIN);
    await admin.getByRole("link", { name: "Admin", exact: true }).click();
    const row = admin.locator("tr", { hasText: GITHUB_USER.emails[0].email });
    await row.getByRole("button", { name: "Approve" }).click();
    await admin.getByRole("link", { name: "All users" }).click();
    await admin.locator("tr", { hasText: GITHUB_USER.emails[0].email }).getByText("APPROVED").waitFor();
    await admin.context().close();

    await page.reload();
    await page.getByText("APPROVED", { exact: true }).waitFor();
    await shot(page, "github-signin-approved");
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("shows a regenerated API key once, and the key works", async () => {
    const page = await newPage();
    await signIn(page, OWNER);
    await page.getByRole("button", { name: /^Account menu for/ }).click();
    await page.getByRole("menuitem", { name: "API key" }).click();
    await page.waitForURL(/\/account$/);
    page.once("dialog", (d) => void d.accept());
    await page.getByRole("button", { name: "Generate a new API key" }).click();
    const key = (await page.getByTestId("api-key").textContent()).trim();
    assert.match(key, /^[0-9a-f]{40}$/);
    await shot(page, "account");
    const check = await fetch(`${ctx.apiUrl}/api/auth/token/`, { headers: { Authorization: `token ${key}` } });
    assert.equal(check.status, 200);
    ctx.token = key; // the old key stopped working
    await page.reload();
    assert.equal(await page.getByTestId("api-key").count(), 0, "the key is not shown again");
    await page.context().close();
  });

  it("reports time to first content (cold and with a warm cache)", async () => {
    for (const [name, url, ready] of [
      ["home", "/", ".dandiset-card"],
      ["list", "/dandiset", ".dandiset-card"],
      ["landing", `/dandiset/${seeded.id}`, "h1"],
    ]) {
      const page = await newPage();
      const timings = [];
      for (let visit = 0; visit < 2; visit += 1) {
        await page.goto(`${ctx.webUrl}${url}`, { waitUntil: "commit" });
        await page.locator(ready).first().waitFor();
        // "Content ready": ms from navigation start until the page's main content is in the DOM.
        timings.push([await fcp(page), await page.evaluate(() => performance.now())]);
      }
      const [cold, warm] = timings.map(
        ([paint, ready]) => `FCP ${paint?.toFixed(0)} ms, content ${ready.toFixed(0)} ms`,
      );
      console.log(`${name}: cold (empty cache) ${cold}; warm ${warm}`);
      await page.context().close();
    }
  });

  it("works on a phone-sized screen", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft`, { waitUntil: "networkidle" });
    await page.getByRole("heading", { name: "Visual cortex recordings in mice" }).waitFor();
    await shot(page, "mobile-landing");
    assert.deepEqual(await page.evaluate(overflowing), [], "no element is wider than the screen");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("link", { name: "Public Dandisets" }).waitFor();
    await shot(page, "mobile-landing");
    // The file browser's rows (name, size, actions) fit too.
    await page.goto(`${ctx.webUrl}/dandiset/${seeded.id}/draft/files?location=sub-01/ses-1`, {
      waitUntil: "networkidle",
    });
    await page.getByText("data.txt").waitFor();
    await shot(page, "mobile-files");
    assert.deepEqual(await page.evaluate(overflowing), [], "no file browser element is wider than the screen");
    await page.context().close();
  });
});
