/**
 * Memory per Procfile process under typical load (issue 15: each process must fit a 512 MB dyno).
 * Starts the BUILT processes exactly as their Procfile lines do (`web` with WEB_CONCURRENCY
 * cluster workers, `worker`, `checksum-worker`, `analytics-worker`) on a seeded database
 * (BENCH_DANDISETS dandisets, default 2,000) and local storage, then for BENCH_DURATION seconds
 * (default 30): 16 clients on the API (listing, search, detail, info, a 64 MiB download), the
 * default worker validating every draft, the checksum worker hashing 4 blobs of 512 MiB.
 * The analytics worker only runs its schedules (no S3 access logs here). Prints the peak
 * resident set per process type: the sum over a process and its children (a cluster's
 * workers), sampled every 200 ms, and the sum of each process's own peak (VmHWM).
 * Run after `pnpm build`: `pnpm --filter @dandi/bench exec tsx processes/run.ts`.
 */
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { createStorage, DandiEtagCalculator, loadConfig } from "../../apps/worker/node_modules/@dandi/core/src/index";
import { JobsClient } from "../../apps/worker/node_modules/@dandi/jobs/src/index";
import { seedDandisets } from "../api-dandisets/seed";
import { createFreshDatabase, refreshDandisetColumns, refreshSearchTokens, withClient } from "../lib/db";
import { startBuiltWorker } from "../lib/worker-process";

const DANDISETS = Number(process.env.BENCH_DANDISETS ?? 2000);
const DURATION = Number(process.env.BENCH_DURATION ?? 30);
const WEB_CONCURRENCY = process.env.BENCH_WEB_CONCURRENCY ?? "2";
const log = (s: string) => process.stderr.write(`${s}\n`);

const url = await createFreshDatabase("dandi_bench_processes");
await withClient(url, async (client: pg.Client) => {
  await seedDandisets(client, { dandisets: DANDISETS, users: 200 });
  await refreshDandisetColumns(client, "SELECT id FROM dandisets");
  await refreshSearchTokens(client, "SELECT id FROM dandisets");
});
const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "dandi-bench-processes-"));
const port = 18000 + Math.floor(Math.random() * 1000);
const env: Record<string, string> = {
  DATABASE_URL: url,
  PORT: String(port),
  DANDI_API_URL: `http://127.0.0.1:${port}`,
  STORAGE_BACKEND: "local",
  LOCAL_STORAGE_DIR: storageDir,
  JOBS_PREFIX: `dandi-bench-processes-${process.pid}`,
  WEB_CONCURRENCY,
  LOG_LEVEL: "warn",
};
const config = loadConfig({ ...env, SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789" });
const storage = createStorage(config);

// Blobs: one to download, four for the checksum worker (rows in asset_blobs, hash not yet known).
log("writing blobs ...");
const download = "blobs/ben/chd/download";
await storage.putObject(download, randomBytes(64 * 1024 * 1024));
const blobIds: string[] = [];
await withClient(url, async (client) => {
  for (let i = 0; i < 4; i++) {
    const content = randomBytes(512 * 1024 * 1024);
    const blobId = randomUUID();
    const key = `blobs/${blobId.slice(0, 3)}/${blobId.slice(3, 6)}/${blobId}`;
    await storage.putObject(key, content);
    const etag = new DandiEtagCalculator(content.length).update(content).digest();
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO asset_blobs (blob_id, key, etag, size, created, modified) VALUES ($1, $2, $3, $4, now(), now()) RETURNING id`,
      [blobId, key, etag, content.length],
    );
    blobIds.push(rows[0]!.id);
  }
});
const drafts = await withClient(url, async (c) =>
  (await c.query<{ id: number }>("SELECT id FROM versions WHERE version = 'draft' ORDER BY id")).rows.map((r) => r.id),
);

/** The pids of a process tree (a cluster primary and its workers). */
function tree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const k of kids ? kids.split(/\s+/) : []) out.push(...tree(Number(k)));
    }
  } catch {
    // exited
  }
  return out;
}
function statusKb(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

log("starting the Procfile processes ...");
const types = ["web", "worker", "checksum-worker", "analytics-worker"] as const;
const procs = types.map((t) => ({
  type: t,
  proc: startBuiltWorker(t, env),
  peakTreeKb: 0,
  hwm: new Map<number, number>(),
}));
const sample = () => {
  for (const p of procs) {
    const pids = tree(p.proc.child.pid!);
    p.peakTreeKb = Math.max(
      p.peakTreeKb,
      pids.reduce((s, pid) => s + statusKb(pid, "VmRSS"), 0),
    );
    for (const pid of pids) p.hwm.set(pid, Math.max(p.hwm.get(pid) ?? 0, statusKb(pid, "VmHWM")));
  }
};
const sampler = setInterval(sample, 200);
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/api/health/ready`)).ok) break;
  } catch {
    // not yet
  }
  if (i > 600) throw new Error("the API did not get ready");
  await new Promise((r) => setTimeout(r, 200));
}
await new Promise((r) => setTimeout(r, 3000));
const idle = procs.map((p) => tree(p.proc.child.pid!).reduce((s, pid) => s + statusKb(pid, "VmRSS"), 0));

log(`load for ${DURATION} s ...`);
const jobs = new JobsClient({ redisUrl: config.REDIS_URL, prefix: config.JOBS_PREFIX });
for (const blobId of blobIds) await jobs.enqueue("computeBlobSha256", { blobId });
await jobs.enqueueMany(
  "validateVersion",
  drafts.map((versionId) => ({ versionId })),
);
const signedDownload = await storage.presignGet(download);
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: 16,
  duration: DURATION,
  requests: [
    { path: "/api/dandisets/?page_size=25" },
    { path: "/api/dandisets/?search=neurons" },
    { path: "/api/dandisets/000042/" },
    { path: "/api/dandisets/000042/versions/draft/info/" },
    { path: "/api/info/" },
    { path: new URL(signedDownload).pathname + new URL(signedDownload).search },
  ],
});
clearInterval(sampler);
sample();
for (const p of procs) p.proc.child.kill("SIGTERM");
await jobs.close();

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
console.log(`\n${DANDISETS} dandisets; web WEB_CONCURRENCY=${WEB_CONCURRENCY}; ${DURATION} s of load;`);
console.log(`API: ${result.requests.total} requests, ${result.non2xx} non-2xx, p99 ${result.latency.p99} ms`);
console.log("| process | processes | RSS idle | peak RSS under load (sum) | sum of each process's VmHWM |");
console.log("| --- | --- | --- | --- | --- |");
procs.forEach((p, i) => {
  const hwmSum = [...p.hwm.values()].reduce((a, b) => a + b, 0);
  console.log(`| ${p.type} | ${p.hwm.size} | ${mb(idle[i]!)} | ${mb(p.peakTreeKb)} | ${mb(hwmSum)} |`);
});
await Promise.all(
  procs.map((p) => new Promise((r) => (p.proc.child.exitCode !== null ? r(0) : p.proc.child.once("exit", r)))),
);
fs.rmSync(storageDir, { recursive: true, force: true });
