/**
 * Browser upload throughput next to the dandi CLI's, on the same machine and a file of the same
 * size (1 GB by default; BENCH_UPLOAD_MB), through the local-disk backend and through S3 in
 * moto_server. The browser is the built web app in headless Chromium (the e2e harness's stack:
 * API, worker, SPA); the CLI is the real `dandi upload`. The CLI's file differs from the
 * browser's in its first bytes, so that neither is deduplicated against the other.
 *
 *   node bench/browser-upload/run.mjs            # both backends
 *   BENCH_BACKENDS=local node bench/browser-upload/run.mjs
 *
 * Prints MB/s (1 MB = 10^6 bytes) for: the browser's whole upload (dandi-etag in a Web Worker,
 * then the parts, complete, validate, asset), its transfer alone (after hashing), and the CLI's
 * `dandi upload` (its own hashing included). Figures, never assertions.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { OWNER, api, startStack } from "../../apps/web/e2e/harness.mjs";
import { dandi, startMotoWithCors } from "../../apps/web/e2e/upload-helpers.mjs";

const SIZE = Number(process.env.BENCH_UPLOAD_MB ?? 1000) * 1e6;
const BACKENDS = (process.env.BENCH_BACKENDS ?? "local,s3").split(",");

function writeRandomFile(file, size) {
  const fd = fs.openSync(file, "w");
  for (let done = 0; done < size; done += 16 * 1024 * 1024)
    fs.writeSync(fd, randomBytes(Math.min(16 * 1024 * 1024, size - done)));
  fs.closeSync(fd);
}

const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

async function browserUpload(ctx, dandisetId, file) {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${ctx.webUrl}/signin`);
  await page.getByLabel("E-mail").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  await page.goto(`${ctx.webUrl}/dandiset/${dandisetId}/draft/files`, { waitUntil: "networkidle" });
  const state = page.locator('[data-testid="upload-item"]').getByTestId("upload-item-state");
  const t0 = performance.now();
  await page.getByTestId("upload-files-input").setInputFiles(file);
  await state.filter({ hasText: /^Uploading/ }).waitFor({ timeout: 600_000 });
  const t1 = performance.now();
  await state.filter({ hasText: /^(Uploaded|Failed)/ }).waitFor({ timeout: 1_800_000 });
  const t2 = performance.now();
  const text = await state.innerText();
  await context.close();
  if (!text.startsWith("Uploaded")) throw new Error(`browser upload: ${text}`);
  return { total: t2 - t0, hashing: t1 - t0, transfer: t2 - t1 };
}

function cliUpload(ctx, dandisetId, file) {
  const home = path.join(ctx.tmp, "cli-home");
  const work = path.join(ctx.tmp, "cli");
  fs.mkdirSync(work, { recursive: true });
  dandi(
    [
      "download",
      "--download",
      "dandiset.yaml",
      "-o",
      work,
      `${ctx.apiUrl}/api/dandisets/${dandisetId}/versions/draft/`,
    ],
    { cwd: work, home },
  );
  const local = path.join(work, dandisetId);
  fs.renameSync(file, path.join(local, "cli.bin"));
  const instance = new URL(ctx.apiUrl).host.toUpperCase().replace(/-/g, "_");
  process.env[`${instance}_API_KEY`] = ctx.token;
  const t0 = performance.now();
  dandi(["upload", "-i", ctx.apiUrl, "--allow-any-path"], { cwd: local, home });
  return performance.now() - t0;
}

const rows = [];
for (const backend of BACKENDS) {
  const moto = backend === "s3" ? await startMotoWithCors() : null;
  const ctx = await startStack({ apiEnv: moto?.env ?? {} });
  try {
    await moto?.allowOrigin(ctx.webUrl);
    const create = async (name) =>
      (await api(ctx, "POST", "/dandisets/?embargo=false", { name, metadata: { name, description: `${name}.` } }))
        .identifier;
    const browserFile = path.join(ctx.tmp, "browser.bin");
    const cliFile = path.join(ctx.tmp, "cli.bin");
    writeRandomFile(browserFile, SIZE);
    fs.copyFileSync(browserFile, cliFile);
    const fd = fs.openSync(cliFile, "r+");
    fs.writeSync(fd, randomBytes(64), 0, 64, 0);
    fs.closeSync(fd);

    const b = await browserUpload(ctx, await create("Browser upload bench"), browserFile);
    const cliMs = cliUpload(ctx, await create("CLI upload bench"), cliFile);
    rows.push({ backend, ...b, cli: cliMs });
    console.log(
      `${backend}: browser ${mbps(SIZE, b.total)} MB/s overall (hashing ${(b.hashing / 1000).toFixed(1)} s, ` +
        `transfer ${mbps(SIZE, b.transfer)} MB/s) · dandi upload ${mbps(SIZE, cliMs)} MB/s`,
    );
  } finally {
    await ctx.close();
    await moto?.stop();
  }
}

console.log(`\nUpload of a ${(SIZE / 1e6).toFixed(0)} MB file (${execFileSync("nproc").toString().trim()} cores):`);
console.log(
  "| backend | browser, whole upload | browser, hashing | browser, transfer after hashing | dandi upload (CLI) |",
);
console.log(
  "| ------- | --------------------- | ---------------- | ------------------------------- | ------------------ |",
);
for (const r of rows) {
  console.log(
    `| ${r.backend} | ${mbps(SIZE, r.total)} MB/s (${(r.total / 1000).toFixed(1)} s) | ${(r.hashing / 1000).toFixed(1)} s | ` +
      `${mbps(SIZE, r.transfer)} MB/s | ${mbps(SIZE, r.cli)} MB/s (${(r.cli / 1000).toFixed(1)} s) |`,
  );
}
