/**
 * Managing files in the browser (issue 12), in headless Chromium against the real API and
 * worker, on both storage backends (local disk, and S3 through moto_server): an owner renames
 * a file, moves a folder into a new folder, meets a clear error when the target exists, deletes
 * a file after confirming; the real `dandi ls` then lists exactly the result. A folder is
 * downloaded as a zip through the browser and its entries' digests compared with the uploaded
 * bytes; the whole dandiset is over the file cap (ZIP_MAX_FILES=4) and the page says so.
 * Screenshots go to artifacts/screenshots/file-manage-*.png.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ARTIFACTS, OWNER, REPO_ROOT, api, importTestHelper, startStack, uploadFile } from "./harness.mjs";

const FILES = {
  "notes.txt": "lab notes\n",
  "sub-01/a.nwb": "first recording ".repeat(500),
  "sub-01/b.nwb": "second recording ".repeat(300),
  "sub-01/ses-1/c.txt": "session one\n",
  "sub-02/d.nwb": "to be deleted\n",
};
const sha256 = (data) => createHash("sha256").update(data).digest("hex");

/** Entry name → SHA-256 of a zip's files, read by Python's zipfile (which checks each CRC). */
function unzipDigests(file) {
  const script = [
    "import hashlib, json, sys, zipfile",
    "z = zipfile.ZipFile(sys.argv[1])",
    "assert z.testzip() is None",
    "print(json.dumps({n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}))",
  ].join("\n");
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
}

/** The real dandi CLI's `ls` of a draft: the asset paths it lists. */
function dandiLs(ctx, identifier) {
  const home = path.join(ctx.tmp, "cli-home");
  fs.mkdirSync(home, { recursive: true });
  const out = execFileSync(
    path.join(REPO_ROOT, ".venv", "bin", "dandi"),
    ["ls", "-r", "-f", "json", `${ctx.apiUrl}/api/dandisets/${identifier}/versions/draft/`],
    {
      encoding: "utf8",
      cwd: ctx.tmp,
      env: {
        ...process.env,
        HOME: home,
        DANDI_NO_ET: "1",
        DANDI_CACHE: "ignore",
        PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
      },
    },
  );
  return JSON.parse(out)
    .filter((r) => r.path && r.path !== identifier)
    .map((r) => r.path)
    .sort();
}

for (const backend of ["local", "s3"]) {
  describe(`managing files in the browser (${backend})`, { concurrency: false }, () => {
    let ctx;
    let moto;
    let identifier;
    const shot = (page, name) =>
      page.screenshot({ path: path.join(ARTIFACTS, `file-manage-${backend}-${name}.png`), fullPage: true });

    before(
      async () => {
        const apiEnv = { ZIP_MAX_FILES: "4" };
        if (backend === "s3") {
          moto = await (await importTestHelper("moto.ts")).startMotoServer();
          Object.assign(apiEnv, moto.env);
        }
        ctx = await startStack({ apiEnv });
        ({ identifier } = await api(ctx, "POST", "/dandisets/?embargo=false", {
          name: "File management",
          metadata: { name: "File management" },
        }));
        for (const [p, content] of Object.entries(FILES)) await uploadFile(ctx, identifier, p, content);
      },
      { timeout: 600_000 },
    );
    after(async () => {
      await ctx?.close();
      await moto?.stop();
    });

    it("renames a file, moves a folder, refuses an existing target, deletes a file; dandi ls agrees", async () => {
      const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (err) => problems.push(err.message));
      await page.goto(`${ctx.webUrl}/signin`);
      await page.getByLabel("E-mail").fill(OWNER.email);
      await page.getByLabel("Password").fill(OWNER.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
      await page.goto(`${ctx.webUrl}/dandiset/${identifier}/draft/files`);
      const dialog = page.getByRole("dialog");

      // Rename a file.
      await page.getByRole("button", { name: "Rename notes.txt" }).click();
      await dialog.getByLabel("New name").fill("README.txt");
      assert.equal(await dialog.getByTestId("new-path").textContent(), "README.txt");
      await shot(page, "rename-dialog");
      await dialog.getByRole("button", { name: "Rename" }).click();
      await page.getByTestId("manage-notice").getByText("Renamed notes.txt to README.txt.").waitFor();
      await page.getByRole("cell", { name: "README.txt", exact: true }).waitFor();

      // Move a folder into a folder that does not exist yet.
      await page.getByRole("button", { name: "Move sub-01", exact: true }).click();
      await dialog.getByLabel(/Destination folder/).fill("archive/2024");
      assert.equal(await dialog.getByTestId("new-path").textContent(), "archive/2024/sub-01");
      await shot(page, "move-dialog");
      await dialog.getByRole("button", { name: "Move" }).click();
      await page.getByTestId("manage-notice").getByText("Moved sub-01 to archive/2024/sub-01 (3 files).").waitFor();
      await page.getByRole("link", { name: "📁 archive/" }).waitFor();

      // A target that exists: the API's reason is shown in the dialog and nothing changes.
      await page.getByRole("button", { name: "Rename sub-02" }).click();
      await dialog.getByLabel("New name").fill("README.txt");
      await dialog.getByRole("button", { name: "Rename" }).click();
      await dialog.getByRole("alert").getByText("A file or folder already exists at README.txt").waitFor();
      await shot(page, "conflict-error");
      await dialog.getByRole("button", { name: "Cancel" }).click();

      // Delete a file, after the confirmation.
      await page.getByRole("link", { name: "📁 sub-02/" }).click();
      await page.getByRole("button", { name: "Delete sub-02/d.nwb" }).click();
      await dialog.getByText("Really delete this file?").waitFor();
      await shot(page, "delete-confirm");
      await dialog.getByRole("button", { name: "Delete" }).click();
      await page.getByTestId("manage-notice").getByText("Deleted sub-02/d.nwb.").waitFor();

      await page.goto(`${ctx.webUrl}/dandiset/${identifier}/draft/files?location=archive/2024/sub-01`);
      await page.getByRole("cell", { name: "a.nwb", exact: true }).waitFor();
      await shot(page, "after");
      assert.deepEqual(problems, []);
      await context.close();

      assert.deepEqual(dandiLs(ctx, identifier), [
        "README.txt",
        "archive/2024/sub-01/a.nwb",
        "archive/2024/sub-01/b.nwb",
        "archive/2024/sub-01/ses-1/c.txt",
      ]);
    });

    it("downloads a folder as a zip with the uploaded bytes, and says why the whole dandiset is too big", async () => {
      const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${ctx.webUrl}/dandiset/${identifier}/draft/files?location=archive/2024`);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download archive/2024/sub-01 as zip" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), `${identifier}-draft-sub-01.zip`);
      const file = path.join(ctx.tmp, "folder.zip");
      await download.saveAs(file);
      assert.deepEqual(unzipDigests(file), {
        "sub-01/a.nwb": sha256(FILES["sub-01/a.nwb"]),
        "sub-01/b.nwb": sha256(FILES["sub-01/b.nwb"]),
        "sub-01/ses-1/c.txt": sha256(FILES["sub-01/ses-1/c.txt"]),
      });

      // The root holds 4 files: at the cap, so it downloads; one more upload makes it refuse.
      await uploadFile(ctx, identifier, "extra.txt", "one too many\n");
      await page.goto(`${ctx.webUrl}/dandiset/${identifier}/draft/files`);
      await page.getByTestId("zip-current").click();
      await page
        .getByTestId("zip-error")
        .getByText("This version holds 5 files; a zip download is limited to 4.")
        .waitFor();
      await shot(page, "zip-cap-error");
      await context.close();
    });
  });
}
