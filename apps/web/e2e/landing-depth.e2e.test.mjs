/* global window, setTimeout */
/**
 * The landing page, the metadata editor and the validation status at DANDI's
 * depth, in headless Chromium against the real API and worker: every metadata
 * section filled, the description's Markdown rendered and sanitised, the notice
 * on an older published version, DANDI's citation formats; the editor's tabs,
 * an as-you-type schema error that the worker then reports too, the save state,
 * and the status going from Validating to its verdict by itself; an invalid file
 * marked in the file browser. Screenshots go to artifacts/screenshots/.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { ARTIFACTS, OWNER, api, startStack, uploadFile } from "./harness.mjs";

let ctx;
let id;
const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function newPage() {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (err) => page.problems.push(err.message));
  page.on("dialog", (dialog) => {
    page.problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return page;
}

async function signIn(page) {
  await page.goto(`${ctx.webUrl}/signin`);
  await page.getByLabel("E-mail").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

/** Polls the draft until the worker has settled its status. */
async function settledDraft() {
  for (let i = 0; i < 120; i += 1) {
    const info = await api(ctx, "GET", `/dandisets/${id}/versions/draft/info/`);
    if (!["Pending", "Validating"].includes(info.status)) return info;
    await sleep(500);
  }
  throw new Error("the draft never settled");
}

/** Polls an asset until the worker has validated it; returns {status, validation_errors}. */
async function settledAsset(assetId) {
  for (let i = 0; i < 120; i += 1) {
    const v = await api(ctx, "GET", `/dandisets/${id}/versions/draft/assets/${assetId}/validation/`);
    if (!["Pending", "Validating"].includes(v.status)) return v;
    await sleep(500);
  }
  throw new Error("the asset was never validated");
}

async function publish() {
  const before = (await api(ctx, "GET", `/dandisets/${id}/versions/`)).results.length;
  await api(ctx, "POST", `/dandisets/${id}/versions/draft/publish/`);
  for (let i = 0; i < 120; i += 1) {
    const versions = (await api(ctx, "GET", `/dandisets/${id}/versions/?order=-created`)).results;
    if (versions.length > before) return versions.find((v) => v.version !== "draft").version;
    await sleep(500);
  }
  throw new Error("publish never finished");
}

const DESCRIPTION = [
  "Two-photon **calcium imaging** of mouse V1 during [visual stimulation](https://example.org/stimuli).",
  "",
  "- 12 sessions",
  "- 3 mice",
  "",
  '<script>window.__injected = true</script><img src="x" onerror="window.__injected = true">',
].join("\n");

const metadataOf = (draft) => ({
  ...draft,
  name: "Mouse V1 calcium imaging",
  description: DESCRIPTION,
  license: ["spdx:CC-BY-4.0"],
  keywords: ["V1", "calcium imaging"],
  contributor: [
    {
      schemaKey: "Person",
      name: "Doe, Jane",
      email: "jane@example.org",
      identifier: "0000-0002-1825-0097",
      roleName: ["dcite:ContactPerson", "dcite:DataCurator"],
      includeInCitation: true,
      affiliation: [{ schemaKey: "Affiliation", name: "Example University", identifier: "https://ror.org/05a0ya142" }],
    },
    {
      schemaKey: "Organization",
      name: "National Brain Foundation",
      identifier: "https://ror.org/01cwqze88",
      roleName: ["dcite:Funder"],
      awardNumber: "R01-NS-123456",
      includeInCitation: false,
    },
  ],
  about: [
    {
      schemaKey: "Anatomy",
      name: "Primary visual cortex",
      identifier: "http://purl.obolibrary.org/obo/UBERON_0002436",
    },
  ],
  studyTarget: ["Orientation tuning in layer 2/3"],
  ethicsApproval: [
    {
      schemaKey: "EthicsApproval",
      identifier: "IACUC-2024-017",
      contactPoint: { schemaKey: "ContactPoint", name: "Example IACUC" },
    },
  ],
  protocol: ["https://www.protocols.io/view/example-v1"],
  relatedResource: [
    {
      schemaKey: "Resource",
      name: "Orientation maps in mouse V1",
      identifier: "doi:10.1234/example.5678",
      url: "https://doi.org/10.1234/example.5678",
      relation: "dcite:IsDescribedBy",
      resourceType: "dcite:JournalArticle",
    },
  ],
  wasGeneratedBy: [{ schemaKey: "Project", name: "BRAIN visual coding", identifier: "BRAIN-VC-1" }],
});

before(
  async () => {
    ctx = await startStack();
    ({ identifier: id } = await api(ctx, "POST", "/dandisets/?embargo=false", {
      name: "Mouse V1",
      metadata: { name: "Mouse V1" },
    }));
    const good = await uploadFile(ctx, id, "sub-01/sub-01_ses-1.nwb", "good file\n");
    const goodAsset = await api(ctx, "PUT", `/dandisets/${id}/versions/draft/assets/${good.asset_id}/`, {
      blob_id: good.blob,
      metadata: {
        path: "sub-01/sub-01_ses-1.nwb",
        schemaKey: "Asset",
        encodingFormat: "application/x-nwb",
        wasAttributedTo: [
          {
            schemaKey: "Participant",
            identifier: "sub-01",
            species: {
              schemaKey: "SpeciesType",
              name: "Mus musculus - House mouse",
              identifier: "http://purl.obolibrary.org/obo/NCBITaxon_10090",
            },
          },
        ],
        approach: [{ schemaKey: "ApproachType", name: "microscopy approach; cell population imaging" }],
        measurementTechnique: [{ schemaKey: "MeasurementTechniqueType", name: "two-photon microscopy technique" }],
        variableMeasured: [{ schemaKey: "PropertyValue", value: "PlaneSegmentation" }],
      },
    });
    const goodValidation = await settledAsset(goodAsset.asset_id);
    assert.equal(goodValidation.status, "Valid", JSON.stringify(goodValidation.validation_errors));
    const draft = await api(ctx, "GET", `/dandisets/${id}/versions/draft/`);
    await api(ctx, "PUT", `/dandisets/${id}/versions/draft/`, {
      name: "Mouse V1 calcium imaging",
      metadata: metadataOf(draft),
    });
    const info = await settledDraft();
    assert.equal(info.status, "Valid", JSON.stringify(info.version_validation_errors));
    await publish();
    // A second published version, so the first one is "older".
    const again = await api(ctx, "GET", `/dandisets/${id}/versions/draft/`);
    await api(ctx, "PUT", `/dandisets/${id}/versions/draft/`, {
      name: again.name,
      metadata: { ...again, studyTarget: ["Orientation tuning in layer 2/3", "Direction selectivity"] },
    });
    assert.equal((await settledDraft()).status, "Valid");
    await publish();
  },
  { timeout: 600_000 },
);
after(async () => {
  await ctx?.close();
});

describe(
  "landing page, editor and validation status at DANDI's depth",
  { concurrency: false, timeout: 300_000 },
  () => {
    it("shows every metadata section, the Markdown description sanitised, the newer-version notice and citations", async () => {
      const versions = (await api(ctx, "GET", `/dandisets/${id}/versions/?order=-created`)).results;
      const [latest, older] = versions.filter((v) => v.version !== "draft");
      const page = await newPage();
      await page.goto(`${ctx.webUrl}/dandiset/${id}/${older.version}`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: "Mouse V1 calcium imaging" }).waitFor();

      // Markdown rendered; the <script> and the onerror handler did not run.
      const description = page.getByTestId("description");
      assert.equal(await description.locator("strong").textContent(), "calcium imaging");
      assert.equal(await description.locator("li").count(), 2);
      assert.equal(
        await description.getByRole("link", { name: "visual stimulation" }).getAttribute("rel"),
        "noopener noreferrer",
      );
      assert.equal(await description.locator("script").count(), 0);
      assert.equal(await page.evaluate(() => window.__injected ?? false), false);

      for (const heading of [
        "Contributors",
        "Subject matter",
        "Study targets",
        "Funding and awards",
        "Ethics approvals",
        "Protocols",
        "Related resources",
        "Associated projects",
        "Versions",
      ]) {
        await page.getByRole("heading", { name: heading, exact: true }).waitFor();
      }
      assert.equal(
        await page.getByRole("link", { name: "ORCID of Doe, Jane" }).getAttribute("href"),
        "https://orcid.org/0000-0002-1825-0097",
      );
      assert.equal(
        await page.getByRole("link", { name: "ROR of Example University" }).getAttribute("href"),
        "https://ror.org/05a0ya142",
      );
      await page.getByText("award R01-NS-123456").waitFor();
      await page.getByText("IACUC-2024-017").waitFor();
      await page.getByText("Mus musculus - House mouse").waitFor();
      await page.getByText("two-photon microscopy technique").waitFor();
      await page.getByText("PlaneSegmentation").waitFor();
      await page.getByRole("link", { name: "Orientation maps in mouse V1" }).waitFor();

      // An older version says a newer one exists and links it.
      const notice = page.getByTestId("newer-version");
      await notice.getByText(latest.version).waitFor();
      await shot(page, "landing-depth-older-version");

      // Citations in DANDI's formats.
      await page.getByRole("combobox", { name: "Citation format" }).click();
      await page.getByRole("option", { name: "APA 7th" }).click();
      await page.getByTestId("citation").filter({ hasText: `Doe, J. (` }).waitFor();
      assert.match(await page.getByTestId("citation").textContent(), /\[Data set\]\. DANDI Archive\./);
      await page.getByRole("combobox", { name: "Citation format" }).click();
      await page.getByRole("option", { name: "CFF (YAML)" }).click();
      await page.getByTestId("citation").filter({ hasText: "cff-version: 1.2.0" }).waitFor();
      await page.getByTestId("methods-statement").filter({ hasText: "RRID:SCR_017571" }).waitFor();
      await shot(page, "landing-depth-citation");

      await notice.getByRole("link", { name: "Go to the latest version" }).click();
      await page.waitForURL(new RegExp(`/dandiset/${id}/${latest.version.replace(/\./g, "\\.")}$`));
      await page.getByText("Direction selectivity").waitFor();
      assert.equal(await page.getByTestId("newer-version").count(), 0);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    it("checks the metadata as you type, saves, and follows the server's status to its verdict by itself", async () => {
      const page = await newPage();
      await signIn(page);
      await page.goto(`${ctx.webUrl}/dandiset/${id}/draft/metadata`);
      await page.getByTestId("save-state").getByText("All changes saved").waitFor();
      await page.getByRole("tab", { name: /^General/ }).waitFor();
      await page.getByRole("tab", { name: /Dandiset contributors/ }).waitFor();
      await page.getByTestId("live-validation").getByText("No problems found.").waitFor();
      await page
        .getByTestId("live-validation")
        .getByTestId("validation-status")
        .getByText(/^(Valid|Published)$/)
        .waitFor();

      // A contact person's e-mail that is not one: ajv over the server's schema says so as it is typed.
      await page.getByRole("tab", { name: /Dandiset contributors/ }).click();
      await page.getByLabel("Email", { exact: true }).first().fill("jane-at-example");
      await page.getByTestId("schema-errors").getByText("/contributor/0/email").first().waitFor();
      await page.getByRole("tab", { name: /Dandiset contributors\s*\d/ }).waitFor();
      await page.getByText("Email must match format").first().waitFor();
      await page.getByTestId("save-state").getByText("Unsaved changes").waitFor();
      await shot(page, "landing-depth-editor-error");
      const shown = (await page.getByTestId("schema-errors").locator("li").allTextContents()).map((t) => t.trim());

      // Saved as it is (as DANDI allows): Validating… first, then the server's verdict, without a reload.
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByTestId("save-state").getByText("All changes saved").waitFor();
      const badge = page.getByTestId("live-validation").getByTestId("validation-status");
      await badge.getByText("Validating…").waitFor({ timeout: 3000 });
      await badge.getByText("Invalid", { exact: true }).waitFor({ timeout: 30_000 });
      // The editor and the server agree on what is wrong.
      const info = await api(ctx, "GET", `/dandisets/${id}/versions/draft/info/`);
      const server = info.version_validation_errors.map((e) => `/${e.field.split(".").join("/")} ${e.message}`);
      assert.deepEqual(shown.sort(), server.sort());
      await shot(page, "landing-depth-editor-saved");

      // The landing page shows the same status and errors.
      await page.goto(`${ctx.webUrl}/dandiset/${id}/draft`);
      await page
        .getByTestId("validation-summary")
        .getByTestId("validation-status")
        .getByText("Invalid", { exact: true })
        .waitFor();
      await page.getByRole("button", { name: "Show validation errors" }).click();
      await page.getByText('contributor.0.email: must match format "email"').first().waitFor();
      await page.keyboard.press("Escape");

      // Fixed through the API while the page is open on Pending: it updates by itself to Valid.
      const draft = await api(ctx, "GET", `/dandisets/${id}/versions/draft/`);
      await api(ctx, "PUT", `/dandisets/${id}/versions/draft/`, {
        name: draft.name,
        metadata: {
          ...draft,
          contributor: draft.contributor.map((c, i) => (i === 0 ? { ...c, email: "jane@example.org" } : c)),
        },
      });
      await page.reload();
      await page
        .getByTestId("validation-summary")
        .getByTestId("validation-status")
        .getByText("Valid", { exact: true })
        .waitFor({ timeout: 30_000 });
      await shot(page, "landing-depth-valid");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });

    it("marks an invalid file in the file browser with its errors", async () => {
      const bad = await uploadFile(ctx, id, "sub-02/sub-02_ses-1.nwb", "bad file\n");
      await api(ctx, "PUT", `/dandisets/${id}/versions/draft/assets/${bad.asset_id}/`, {
        blob_id: bad.blob,
        metadata: {
          path: "sub-02/sub-02_ses-1.nwb",
          schemaKey: "Asset",
          encodingFormat: "application/x-nwb",
          variableMeasured: "not a list",
        },
      });
      for (let i = 0; i < 60; i += 1) {
        const info = await api(ctx, "GET", `/dandisets/${id}/versions/draft/info/`);
        if (info.asset_validation_errors.some((e) => e.path === "sub-02/sub-02_ses-1.nwb")) break;
        await sleep(500);
      }
      const page = await newPage();
      await signIn(page);
      await page.goto(`${ctx.webUrl}/dandiset/${id}/draft/files`);
      // The folder holding it is marked with a count; the good folder is not.
      await page.getByRole("button", { name: /validation errors? under sub-02/ }).waitFor();
      assert.equal(await page.getByRole("button", { name: /under sub-01/ }).count(), 0);
      await page.goto(`${ctx.webUrl}/dandiset/${id}/draft/files?location=sub-02`);
      const mark = page.getByRole("button", { name: /sub-02\/sub-02_ses-1\.nwb is invalid/ });
      await mark.click();
      await page
        .getByRole("list", { name: "Validation errors of sub-02/sub-02_ses-1.nwb" })
        .getByText("variableMeasured")
        .waitFor();
      await shot(page, "landing-depth-file-invalid");
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  },
);
