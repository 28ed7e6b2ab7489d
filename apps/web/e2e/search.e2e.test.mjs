/* global document, window */
/**
 * The asset search page (/search) in headless Chromium against the real API:
 * searching by species (chosen with the keyboard from the autocomplete) and by
 * file type, the search surviving a reload, the empty state, opening a result,
 * and the page at phone width. Screenshots go to artifacts/screenshots/.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, api, startStack, uploadFile } from "./harness.mjs";

let ctx;
const sets = {};

const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

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

/** A dandiset whose files carry the given format and subject metadata (uploaded, then re-described by PUT). */
async function dandisetWith(name, files) {
  const { identifier } = await api(ctx, "POST", "/dandisets/?embargo=false", { name, metadata: { name } });
  for (const file of files) {
    const asset = await uploadFile(ctx, identifier, file.path, `content of ${file.path}\n`);
    await api(ctx, "PUT", `/dandisets/${identifier}/versions/draft/assets/${asset.asset_id}/`, {
      blob_id: asset.blob,
      metadata: {
        path: file.path,
        schemaKey: "Asset",
        encodingFormat: file.format,
        wasAttributedTo: [{ schemaKey: "Participant", identifier: "sub-1", species: { name: file.species } }],
      },
    });
  }
  return identifier;
}

before(
  async () => {
    ctx = await startStack();
    sets.mouse = await dandisetWith("Mouse V1 imaging", [
      { path: "sub-1/a.nwb", format: "application/x-nwb", species: "Mus musculus" },
      { path: "sub-1/b.png", format: "image/png", species: "Mus musculus" },
    ]);
    sets.rat = await dandisetWith("Rat hippocampus recordings", [
      { path: "sub-1/c.nwb", format: "application/x-nwb", species: "Rattus norvegicus" },
    ]);
  },
  { timeout: 600_000 },
);

after(async () => {
  await ctx?.close();
});

describe("asset search page", { concurrency: false }, () => {
  it("finds dandisets by species and file type, keeps the search in the URL, opens a result", async () => {
    const page = await newPage();
    await page.goto(ctx.webUrl);
    await page.getByRole("link", { name: "Search Assets" }).click();
    await page.waitForURL(/\/search$/);
    await page.getByRole("heading", { name: "Results (2)" }).waitFor();

    // Species, by keyboard only: type, move to the suggestion, Enter.
    const species = page.getByRole("combobox", { name: "Species" });
    await species.focus();
    await page.keyboard.type("norveg");
    await page.getByRole("option", { name: "Rattus norvegicus" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/species=Rattus(\+|%20)norvegicus/);
    await page.getByRole("heading", { name: "Results (1)" }).waitFor();
    await page.getByText("1 asset matching species").waitFor();
    assert.equal(await page.getByRole("link", { name: "Mouse V1 imaging" }).count(), 0);

    // File type: NWB files of rats exist; images of rats do not.
    await page.getByRole("combobox", { name: "File type" }).focus();
    await page.keyboard.press("ArrowDown");
    await page.getByRole("option", { name: "Images (image/*)" }).click();
    await page.keyboard.press("Escape");
    await page.waitForURL(/file_type=image/);
    await page.getByText("No dandiset has a file matching all of these filters.").waitFor();

    // The URL is the state: a reload shows the same search.
    await page.reload();
    await page.getByText("No dandiset has a file matching all of these filters.").waitFor();
    assert.match(await page.locator(".parameters").innerText(), /Rattus norvegicus/);
    await shot(page, "search-empty");

    await page.goto(`${ctx.webUrl}/search?file_type=application/x-nwb`);
    await page.getByRole("heading", { name: "Results (2)" }).waitFor();
    assert.equal(await page.getByText("1 asset matching file type").count(), 2);
    await shot(page, "search");
    await page.getByRole("link", { name: "Rat hippocampus recordings" }).click();
    await page.waitForURL(new RegExp(`/dandiset/${sets.rat}$`));
    await page.getByRole("heading", { name: "Rat hippocampus recordings" }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it("is usable at phone width and reports a bad size range", async () => {
    const page = await newPage({ width: 390, height: 844 });
    await page.goto(`${ctx.webUrl}/search?file_size_min=100&file_size_max=5`);
    await page.getByRole("alert").filter({ hasText: "file_size_max must be greater than file_size_min" }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone screen`);
    await page.getByRole("button", { name: "Clear all filters" }).click();
    await page.waitForURL(/\/search$/);
    await page.getByRole("heading", { name: "Results (2)" }).waitFor();
    await shot(page, "search-phone");
    await page.context().close();
  });
});
