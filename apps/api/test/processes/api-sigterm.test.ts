import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createStorage, loadConfig } from "@dandi/core";
import { createTestDatabase, ensureBuilt, findFreePort, startBuiltProcess, type BuiltProcess } from "@dandi/testing";

// The built web process (apps/api/dist/server.js, as the Procfile runs it) under load gets
// SIGTERM, as Heroku sends it to every process of the dyno: in-flight requests complete, new
// connections are refused, the process exits 0 well within Heroku's 30 s. A connection the
// kernel (or the cluster primary) had queued but the app never accepted when it stopped
// listening is reset: that race is counted and printed, not forbidden.

const SERVER_JS = ensureBuilt("api");
const DOWNLOAD_BYTES = 96 * 1024 * 1024;
/** The slow client reads this fast, so the download is still in flight when SIGTERM lands. */
const READ_BYTES_PER_SECOND = 24 * 1024 * 1024;

const db = await createTestDatabase();
const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-sigterm-"));
const processes: BuiltProcess[] = [];
afterAll(async () => {
  for (const p of processes) p.kill();
  await db.drop();
  await fs.rm(storageDir, { recursive: true, force: true });
});

interface Download {
  /** Bytes received so far. */
  received: () => number;
  done: Promise<{ status: number; bytes: number; sha256: string }>;
}

/** A GET read at READ_BYTES_PER_SECOND (TCP back-pressure keeps the server's response in flight). */
function slowDownload(url: string): Download {
  let received = 0;
  const done = new Promise<{ status: number; bytes: number; sha256: string }>((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        const hash = createHash("sha256");
        const started = Date.now();
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          hash.update(chunk);
          const ahead = received / READ_BYTES_PER_SECOND - (Date.now() - started) / 1000;
          if (ahead > 0) {
            res.pause();
            setTimeout(() => res.resume(), ahead * 1000);
          }
        });
        res.on("end", () => resolve({ status: res.statusCode!, bytes: received, sha256: hash.digest("hex") }));
        res.on("error", reject);
      })
      .on("error", reject);
  });
  return { received: () => received, done };
}

/** One request on a fresh connection: its status, or the error code of a connection that failed. */
function requestOnce(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
        res.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      })
      .on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function connectRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

describe.each([1, 2])("the built API with WEB_CONCURRENCY=%i on SIGTERM under load", (concurrency) => {
  it("finishes in-flight requests, refuses new connections and exits 0 in < 30 s", async () => {
    const port = await findFreePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: "4",
      SESSION_SECRET: "sigterm-test-session-secret-0123456789abcdef",
      DANDI_API_URL: base,
      DANDI_WEB_APP_URL: "http://web.test",
      STORAGE_BACKEND: "local",
      LOCAL_STORAGE_DIR: storageDir,
      WEB_CONCURRENCY: String(concurrency),
      JOBS_PREFIX: `dandi-test-${path.basename(db.url)}`,
    };
    // A big blob in local storage, and a signed download URL the server will stream it from.
    const storage = createStorage(loadConfig(env));
    const content = randomBytes(DOWNLOAD_BYTES);
    const key = `blobs/sig/ter/sigterm-${concurrency}`;
    await storage.putObject(key, content);
    const url = await storage.presignGet(key, { filename: "big.nwb" });

    const api = startBuiltProcess(SERVER_JS, env);
    processes.push(api);
    const listening = (e: { msg: string }) => e.msg === "DANDI API listening";
    await api.waitForLog(listening, 120_000);
    // Every cluster worker is up (each one logs its own line).
    while (api.logs.filter(listening).length < concurrency) await new Promise((r) => setTimeout(r, 100));
    expect(await requestOnce(`${base}/api/health/ready`)).toBe(200);

    // Load: three slow 96 MiB downloads plus 8 clients sending requests back to back.
    const downloads = [slowDownload(url), slowDownload(url), slowDownload(url)];
    const download = downloads[0]!;
    let loading = true;
    const outcomes: (number | string)[] = [];
    const clients = Array.from({ length: 8 }, async (_, i) => {
      while (loading) outcomes.push(await requestOnce(`${base}${i % 2 ? "/api/dandisets/" : "/api/info/"}`));
    });
    while (downloads.some((d) => d.received() < 8 * 1024 * 1024)) await new Promise((r) => setTimeout(r, 20));
    const answeredBefore = outcomes.filter((o) => o === 200).length;

    const sigterm = Date.now();
    api.terminate();
    // New connections are refused while the download is still streaming.
    while (!(await connectRefused(port))) {
      expect(Date.now() - sigterm).toBeLessThan(5000);
      await new Promise((r) => setTimeout(r, 20));
    }
    const refusedAfterMs = Date.now() - sigterm;
    expect(download.received()).toBeLessThan(DOWNLOAD_BYTES);

    const results = await Promise.all(downloads.map((d) => d.done));
    loading = false;
    await Promise.all(clients);
    const code = await api.exited;
    const exitMs = Date.now() - sigterm;
    console.log(
      `WEB_CONCURRENCY=${concurrency}: refused new connections ${refusedAfterMs} ms after SIGTERM; ` +
        `in-flight download finished; exit code ${code} ${exitMs} ms after SIGTERM; ` +
        `${outcomes.filter((o) => o === 200).length} requests answered (${answeredBefore} before SIGTERM), ` +
        `${outcomes.filter((o) => o === "ECONNREFUSED").length} refused, ` +
        `${outcomes.filter((o) => o === "ECONNRESET").length} reset while queued for accept`,
    );
    const sha256 = createHash("sha256").update(content).digest("hex");
    for (const result of results) expect(result).toEqual({ status: 200, bytes: DOWNLOAD_BYTES, sha256 });
    // Every request got its full answer or its connection was refused/reset before the app took it.
    expect(outcomes.filter((o) => o !== 200 && o !== "ECONNREFUSED" && o !== "ECONNRESET")).toEqual([]);
    expect(answeredBefore).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(30_000);
    expect(api.logs.filter((e) => e.msg === "stopped")).toHaveLength(concurrency);
  }, 240_000);
});
