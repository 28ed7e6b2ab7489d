/* global fetch, setTimeout, Buffer */
/**
 * End-to-end harness: a fresh PostgreSQL database with every migration, the
 * real API server and worker (tsx), seed data through the management CLI and
 * the API, the built SPA behind a tiny static server with the SPA fallback,
 * and headless Chromium through playwright-core.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const REPO_ROOT = path.resolve(WEB_DIR, "../..");
export const ARTIFACTS = path.join(REPO_ROOT, "artifacts", "screenshots");
const POSTGRES = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Headless Chromium as root on a machine without network (environment.md). */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const OWNER = { email: "owner@example.org", password: "owner-password-1", first: "Olive", last: "Owner" };
export const ADMIN = { email: "admin@example.org", password: "admin-password-1" };
export const PENDING = { email: "pending@example.org", first: "Penny", last: "Pending" };
export const NEWCOMER = { email: "newcomer@example.com", password: "newcomer-password-1" };
/** The account the local fake GitHub signs in as: a new user of a domain that is not auto-approved. */
export const GITHUB_USER = {
  id: 4242,
  login: "gina-github",
  name: "Gina Hub",
  emails: [{ email: "gina@example.net", primary: true, verified: true }],
};

/**
 * Starts the fake GitHub of our test helpers (TypeScript) in this process
 * through tsx's loader, so a test can inspect the requests it received.
 */
async function startFakeGithub() {
  const mod = await importTestHelper("fake-github.ts");
  return mod.startFakeGithub(GITHUB_USER);
}

/** Imports a TypeScript module of our test helpers (packages/testing/src/<file>) through tsx's loader. */
export async function importTestHelper(file) {
  const requireFromApi = createRequire(path.join(REPO_ROOT, "apps/api/package.json"));
  // createRequire resolves the package's `require` build, whose loader hooks only work from the ESM build next to it.
  const api = pathToFileURL(requireFromApi.resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
  const { tsImport } = await import(api);
  return tsImport(path.join(REPO_ROOT, "packages/testing/src", file), import.meta.url);
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

function dbUrl(name) {
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return url.toString();
}

async function psql(sql) {
  // The pg driver of our test helpers package (the web package has no database code of its own).
  const pg = createRequire(path.join(REPO_ROOT, "packages/testing/package.json"))("pg");
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function waitFor(url, timeoutMs, label) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${label} did not come up at ${url}: ${last}`);
}

/** Serves the built SPA: files from dist, anything else → index.html (Netlify's `/* /index.html 200`). */
function serveSpa(dist, port) {
  const types = { ".js": "text/javascript", ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml" };
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = path.join(dist, urlPath);
    if (!file.startsWith(dist) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(dist, "index.html");
    }
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "cache-control": file.includes("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

function startProcess(label, args, env, logFile) {
  const log = fs.openSync(logFile, "w");
  const child = spawn("pnpm", args, { cwd: REPO_ROOT, env, stdio: ["ignore", log, log], detached: true });
  child.label = label;
  return child;
}

function stopProcess(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}

/**
 * Starts everything; returns the context the tests use and a `close()`. `webEnv` is added to the
 * SPA's build environment (e.g. VITE_SENTRY_DSN), `apiEnv` to the API's and the worker's;
 * `seedArgs` is the seed-demo command line run before the API and worker start.
 */
export async function startStack({ webEnv = {}, apiEnv = {}, seedArgs = ["seed-demo"] } = {}) {
  const id = `${process.pid}_${randomBytes(3).toString("hex")}`;
  const dbName = `dandi_web_e2e_${id}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dandi-web-e2e-"));
  const [apiPort, webPort] = [await freePort(), await freePort()];
  const apiUrl = `http://localhost:${apiPort}`;
  const webUrl = `http://localhost:${webPort}`;
  const databaseUrl = dbUrl(dbName);
  // The API signs in with GitHub through the same GITHUB_* settings a deployment uses, pointed at the fake.
  const github = await startFakeGithub();
  const env = {
    ...process.env,
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl,
    PORT: String(apiPort),
    SESSION_SECRET: randomBytes(32).toString("hex"),
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: path.join(tmp, "storage"),
    DANDI_API_URL: apiUrl,
    DANDI_WEB_APP_URL: webUrl,
    CORS_ALLOWED_ORIGINS: webUrl,
    JOBS_PREFIX: `web-e2e-${id}`,
    DANDI_VALIDATION_JOB_INTERVAL: "2",
    WORKER_QUEUES: "default,checksum",
    LOG_LEVEL: "warn",
    // The sign-in limit counts per client IP in Redis under a fixed key prefix: every e2e run on this
    // machine (this suite, the search suite, a CI run) signs in from 127.0.0.1 and would share it.
    LOGIN_RATE_LIMIT_PER_IP: "10000",
    SMTP_URL: "",
    ...github.env,
    ...apiEnv,
  };
  delete env.SMTP_URL;

  await psql(`CREATE DATABASE "${dbName}"`);
  const children = [];
  let spa;
  let browser;
  const close = async () => {
    await browser?.close().catch(() => {});
    spa?.close();
    children.forEach(stopProcess);
    await github.close().catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    await psql(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    execFileSync("pnpm", ["--filter", "@dandi/db", "run", "migrate:deploy"], { cwd: REPO_ROOT, env, stdio: "pipe" });
    const manage = (...args) =>
      execFileSync(process.execPath, [path.join(REPO_ROOT, "scripts/manage.mjs"), ...args], {
        cwd: REPO_ROOT,
        env,
        encoding: "utf8",
      });
    const seedOutput = manage(...seedArgs);
    manage(
      "create-user",
      "--email",
      OWNER.email,
      "--status",
      "APPROVED",
      "--password",
      OWNER.password,
      "--first-name",
      OWNER.first,
      "--last-name",
      OWNER.last,
    );
    manage(
      "create-user",
      "--email",
      PENDING.email,
      "--status",
      "PENDING",
      "--first-name",
      PENDING.first,
      "--last-name",
      PENDING.last,
    );
    manage("createsuperuser", "--email", ADMIN.email, "--password", ADMIN.password);
    manage("create-user", "--email", NEWCOMER.email, "--status", "INCOMPLETE", "--password", NEWCOMER.password);
    const token = /Generated token (\S+)/.exec(manage("create-token", "--email", OWNER.email))?.[1];
    if (!token) throw new Error("create-token printed no token");

    children.push(
      startProcess("api", ["--filter", "@dandi/api", "exec", "tsx", "src/server.ts"], env, path.join(tmp, "api.log")),
    );
    children.push(
      startProcess(
        "worker",
        ["--filter", "@dandi/worker", "exec", "tsx", "src/main.ts"],
        env,
        path.join(tmp, "worker.log"),
      ),
    );

    const dist = path.join(tmp, "dist");
    execFileSync("pnpm", ["exec", "vite", "build", "--outDir", dist, "--emptyOutDir"], {
      cwd: WEB_DIR,
      env: { ...process.env, VITE_API_URL: apiUrl, ...webEnv },
      stdio: "pipe",
    });
    spa = await serveSpa(dist, webPort);
    await waitFor(`${apiUrl}/api/info/`, 60_000, "API");

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    return {
      apiUrl,
      webUrl,
      token,
      browser,
      tmp,
      dist,
      github,
      databaseUrl,
      seedOutput,
      manage,
      close,
      logs: () => readLogs(tmp),
    };
  } catch (err) {
    const logs = readLogs(tmp);
    await close();
    throw new Error(`${err.message}\n${logs}`);
  }
}

function readLogs(tmp) {
  return ["api.log", "worker.log"]
    .map((f) => path.join(tmp, f))
    .filter((f) => fs.existsSync(f))
    .map((f) => `--- ${path.basename(f)}\n${fs.readFileSync(f, "utf8").slice(-4000)}`)
    .join("\n");
}

/** Calls the API with the owner's token (the dandi CLI's way), for seeding. */
export async function api(ctx, method, apiPath, body) {
  const res = await fetch(`${ctx.apiUrl}/api${apiPath}`, {
    method,
    headers: { Authorization: `token ${ctx.token}`, "Content-Type": "application/json", Accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${apiPath} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Uploads one small file into a draft the way the dandi CLI does (single-part dandi-etag) and adds it as an asset. */
export async function uploadFile(ctx, dandisetId, assetPath, content) {
  const data = Buffer.from(content);
  const partMd5 = createHash("md5").update(data).digest();
  const etag = `${createHash("md5").update(partMd5).digest("hex")}-1`;
  const init = await api(ctx, "POST", "/uploads/initialize/", {
    contentSize: data.length,
    digest: { algorithm: "dandi:dandi-etag", value: etag },
    dandiset: dandisetId,
  });
  const part = init.parts[0];
  const put = await fetch(part.upload_url, { method: "PUT", body: data });
  if (!put.ok) throw new Error(`part PUT → ${put.status} ${await put.text()}`);
  const done = await api(ctx, "POST", `/uploads/${init.upload_id}/complete/`, {
    parts: [{ part_number: part.part_number, size: part.size, etag: put.headers.get("etag").replaceAll('"', "") }],
  });
  const complete = await fetch(done.complete_url, { method: "POST", body: done.body });
  if (!complete.ok) throw new Error(`complete → ${complete.status} ${await complete.text()}`);
  const blob = await api(ctx, "POST", `/uploads/${init.upload_id}/validate/`);
  return api(ctx, "POST", `/dandisets/${dandisetId}/versions/draft/assets/`, {
    blob_id: blob.blob_id,
    metadata: { path: assetPath, schemaKey: "Asset", encodingFormat: "text/plain" },
  });
}
