/* global localStorage */
/**
 * Browser upload, as a person does it, on both storage backends (local disk,
 * and S3 in moto_server with the operator guide's bucket CORS rule): the owner
 * picks a folder with a 100 MB file and small ones (one already in the
 * archive, one replacing a different file at its path after confirming), the
 * page is reloaded while the big file's second part is on its way, the same
 * folder is picked again and the upload resumes without sending the stored
 * part again. Then the real `dandi` CLI downloads the draft and the bytes and
 * digests match. Screenshots: upload-<backend>-mid.png, upload-<backend>-after.png.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ARTIFACTS, OWNER, api, startStack, uploadFile } from "./harness.mjs";
import { dandi, dandiEtagOfFile, sha256OfFile, startMotoWithCors } from "./upload-helpers.mjs";

const BIG = 100 * 1000 * 1000;
const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

/** The folder a user would pick: session/{big.bin, notes.txt, shared.txt, sub/readme.md}. */
function makeFolder(root) {
  const dir = path.join(root, "session");
  fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
  const fd = fs.openSync(path.join(dir, "big.bin"), "w");
  for (let written = 0; written < BIG; written += 8 * 1024 * 1024) {
    fs.writeSync(fd, randomBytes(Math.min(8 * 1024 * 1024, BIG - written)));
  }
  fs.closeSync(fd);
  fs.writeFileSync(path.join(dir, "notes.txt"), "New notes, written in the browser upload test.\n");
  fs.writeFileSync(
    path.join(dir, "shared.txt"),
    `A file that is already in the archive ${randomBytes(8).toString("hex")}\n`,
  );
  fs.writeFileSync(path.join(dir, "sub", "readme.md"), "# Session\n\nRead me.\n");
  return dir;
}
const FILES = ["big.bin", "notes.txt", "shared.txt", "sub/readme.md"];

/** A storage PUT of one part, on either backend: its part number, or null. */
function partNumberOf(request) {
  if (request.method() !== "PUT") return null;
  const url = new URL(request.url());
  const local = /\/storage\/uploads\/[^/]+\/parts\/(\d+)$/.exec(url.pathname);
  if (local) return Number(local[1]);
  const s3 = url.searchParams.get("partNumber");
  return s3 && url.searchParams.has("uploadId") ? Number(s3) : null;
}

const isPartUrl = (url) =>
  /\/storage\/uploads\/[^/]+\/parts\/\d+$/.test(url.pathname) || url.searchParams.has("partNumber");

async function signIn(page, ctx) {
  await page.goto(`${ctx.webUrl}/signin`);
  await page.getByLabel("E-mail").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

const item = (page, assetPath) => page.locator(`[data-testid="upload-item"][data-path="${assetPath}"]`);
const itemState = (page, assetPath) => item(page, assetPath).getByTestId("upload-item-state");

for (const backend of ["local", "s3"]) {
  describe(`browser upload on ${backend} storage`, { concurrency: false }, () => {
    let ctx;
    let moto;
    let folder;
    let target;
    let other;

    before(
      async () => {
        let apiEnv = {};
        if (backend === "s3") {
          moto = await startMotoWithCors();
          apiEnv = moto.env;
        }
        ctx = await startStack({ apiEnv });
        await moto?.allowOrigin(ctx.webUrl);
        folder = makeFolder(ctx.tmp);
        const create = (name) =>
          api(ctx, "POST", "/dandisets/?embargo=false", { name, metadata: { name, description: `${name}.` } });
        target = (await create("Browser upload target")).identifier;
        other = (await create("Another dandiset of the owner")).identifier;
        // shared.txt is already in the archive (another dandiset): the browser reuses its blob (DANDI's 409).
        await uploadFile(ctx, other, "elsewhere/shared.txt", fs.readFileSync(path.join(folder, "shared.txt")));
        // A different notes.txt at the same path: the browser asks before replacing it.
        await uploadFile(ctx, target, "session/notes.txt", "Old notes.\n");
      },
      { timeout: 600_000 },
    );

    after(async () => {
      await ctx?.close();
      await moto?.stop();
    });

    /** The person at the browser: pick the folder, confirm, reload mid-file, pick it again. */
    async function browserJourney(page) {
      const parts = [];
      page.on("request", (r) => {
        const n = partNumberOf(r);
        if (n !== null) parts.push({ n, url: r.url() });
      });
      await signIn(page, ctx);
      await page.goto(`${ctx.webUrl}/dandiset/${target}/draft/files`, { waitUntil: "networkidle" });
      await page.getByRole("heading", { name: "Upload files" }).waitFor();

      // Part 2 of the big file is held back (never answered) until the reload: the upload is mid-file.
      const held = [];
      const holdPart2 = (route) => {
        if (partNumberOf(route.request()) === 2) held.push(route);
        else void route.continue();
      };
      await page.route(isPartUrl, holdPart2);
      await page.getByTestId("upload-folder-input").setInputFiles(folder);

      // notes.txt exists with other content: the page asks; replace it.
      await item(page, "session/notes.txt").getByRole("button", { name: "Replace session/notes.txt" }).click();
      for (const f of ["notes.txt", "shared.txt", "sub/readme.md"]) {
        await itemState(page, `session/${f}`)
          .filter({ hasText: /^(Uploaded|Added)/ })
          .waitFor({ timeout: 120_000 });
      }
      assert.match(
        await itemState(page, "session/shared.txt").innerText(),
        /identical file was already in the archive/,
      );
      assert.match(await itemState(page, "session/notes.txt").innerText(), /replacing the earlier file/);
      // Part 1 stored (recorded for resuming), part 2 on its way.
      await page.waitForFunction(
        (ds) => {
          const r = JSON.parse(localStorage.getItem(`dandi-upload:${ds}:session/big.bin`) ?? "null");
          return r && r.parts[1] && !r.parts[2];
        },
        target,
        { timeout: 120_000 },
      );
      assert.equal(held.length, 1, "part 2 of big.bin is in flight");
      await itemState(page, "session/big.bin")
        .filter({ hasText: /^Uploading/ })
        .waitFor();
      await shot(page, `upload-${backend}-mid`);

      // The reload: the page forgets everything but localStorage.
      await page.unroute(isPartUrl, holdPart2);
      parts.length = 0;
      await page.reload({ waitUntil: "networkidle" });
      const notice = page.getByTestId("upload-interrupted");
      await notice.waitFor();
      assert.match(await notice.innerText(), /1 interrupted upload\./);
      assert.match(await notice.innerText(), /session\/big\.bin · 100 MB · 1 part\(s\) stored/);

      // The same folder again: big.bin resumes with part 2 only; the others are already there.
      await page.getByTestId("upload-folder-input").setInputFiles(folder);
      await itemState(page, "session/big.bin")
        .filter({ hasText: /^Uploaded \(resumed/ })
        .waitFor({ timeout: 180_000 });
      assert.match(await itemState(page, "session/big.bin").innerText(), /1 of 2 parts were not sent again/);
      for (const f of ["notes.txt", "shared.txt", "sub/readme.md"]) {
        assert.equal(await itemState(page, `session/${f}`).innerText(), "Already in the draft, unchanged");
      }
      assert.deepEqual(
        parts.map((p) => p.n),
        [2],
        "after the reload only part 2 of big.bin went to storage",
      );
      // The new asset validates as CLI uploads do; the page follows its status.
      const status = item(page, "session/big.bin").getByTestId("upload-item-status");
      await status.filter({ hasText: /^(Valid|Invalid)$/ }).waitFor({ timeout: 120_000 });
      const finalStatus = await status.innerText();
      await page.getByRole("link", { name: /session\/$/ }).waitFor();
      await shot(page, `upload-${backend}-after`);
      assert.equal(finalStatus, "Valid", await item(page, "session/big.bin").innerText());
      assert.deepEqual(page.problems, []);
    }

    /** What the API holds, and what the real dandi CLI downloads. */
    async function checkArchive() {
      // What the API holds: every file at its path; shared.txt on the blob that was already stored.
      const listing = await api(ctx, "GET", `/dandisets/${target}/versions/draft/assets/?page_size=100`);
      assert.deepEqual(listing.results.map((a) => a.path).sort(), FILES.map((f) => `session/${f}`).sort());
      const elsewhere = await api(ctx, "GET", `/dandisets/${other}/versions/draft/assets/?path=elsewhere/shared.txt`);
      const shared = listing.results.find((a) => a.path === "session/shared.txt");
      assert.equal(shared.blob, elsewhere.results[0].blob);

      // The real dandi CLI downloads the draft: same bytes, and the archive's digests are the files' digests.
      const out = path.join(ctx.tmp, "download");
      fs.mkdirSync(out, { recursive: true });
      dandi(["download", "-o", out, `${ctx.apiUrl}/api/dandisets/${target}/versions/draft/`], {
        cwd: ctx.tmp,
        home: path.join(ctx.tmp, "home"),
      });
      for (const f of FILES) {
        const local = path.join(folder, f);
        const downloaded = path.join(out, target, "session", f);
        assert.ok(fs.readFileSync(local).equals(fs.readFileSync(downloaded)), `${f} differs after dandi download`);
        const asset = listing.results.find((a) => a.path === `session/${f}`);
        const metadata = await api(ctx, "GET", `/dandisets/${target}/versions/draft/assets/${asset.asset_id}/`);
        assert.equal(metadata.digest["dandi:dandi-etag"], dandiEtagOfFile(local), `${f} dandi-etag`);
        assert.equal(metadata.contentSize, fs.statSync(local).size);
        if (metadata.digest["dandi:sha2-256"]) assert.equal(metadata.digest["dandi:sha2-256"], sha256OfFile(local));
      }
      const bigMeta = await api(
        ctx,
        "GET",
        `/dandisets/${target}/versions/draft/assets/${listing.results.find((a) => a.path === "session/big.bin").asset_id}/`,
      );
      assert.equal(bigMeta.digest["dandi:sha2-256"], sha256OfFile(path.join(folder, "big.bin")));
      assert.equal(bigMeta.encodingFormat, "application/octet-stream");
      assert.equal(
        new Date(bigMeta.blobDateModified).getTime(),
        Math.floor(fs.statSync(path.join(folder, "big.bin")).mtimeMs),
      );
    }

    it(
      "uploads a folder, survives a reload in the middle of the big file, and the CLI downloads the same bytes",
      { timeout: 600_000 },
      async () => {
        const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 1000 } });
        const page = await context.newPage();
        page.problems = [];
        page.on("pageerror", (err) => page.problems.push(err.message));
        page.on("dialog", (d) => void d.accept());
        try {
          await browserJourney(page);
        } catch (err) {
          await shot(page, `upload-${backend}-failure`).catch(() => {});
          const panel = await page
            .locator(".upload-panel")
            .innerText()
            .catch(() => "(no upload panel)");
          err.message += `\n--- upload panel:\n${panel}\n--- page errors: ${page.problems.join("; ")}\n${ctx.logs()}`;
          throw err;
        } finally {
          await context.close();
        }
        await checkArchive();
      },
    );
  });
}
