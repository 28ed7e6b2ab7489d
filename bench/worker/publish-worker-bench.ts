/**
 * Publish benchmark on what production runs: the BUILT worker started with the
 * Procfile's `worker` command line (WORKER_QUEUES=default) publishes a draft of
 * N (default 100,000) seeded assets through a real `publishDandiset` job, which
 * queues `writeManifests` (local storage). Prints each job's time (the worker's
 * own "job done" lines), the publish steps (its progress lines), and the
 * worker's RSS: idle after start and its peak (VmHWM of /proc/<pid>/status).
 * Run after `pnpm build`: `tsx bench/worker/publish-worker-bench.ts [assets]`.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { createPrisma } from "../../apps/worker/node_modules/@dandi/db/src/index";
import { JobsClient } from "../../apps/worker/node_modules/@dandi/jobs/src/index";
import { createTestDatabase } from "../../apps/worker/node_modules/@dandi/testing/src/index";
import { readProcessRss, startBuiltWorker } from "../lib/worker-process";
import { seedPublishingDraft } from "./seed-publishing-draft";

interface LogEntry {
  msg: string;
  time: number;
  job?: string;
  step?: string;
  status?: string;
  ms?: number;
  err?: unknown;
}

const assets = Number(process.argv[2] ?? 100_000);
const log = (s: string) => process.stderr.write(`${s}\n`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "publish-worker-bench-"));
const db = await createTestDatabase();
const prefix = `publish-bench-${process.pid}`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const jobs = new JobsClient({ redisUrl, prefix });
const prisma = createPrisma({ databaseUrl: db.url, poolSize: 2 });
let worker: ChildProcess | undefined;

try {
  const { dandisetId, userId } = await seedPublishingDraft(prisma, assets);
  log(`seeded ${assets} assets`);

  const started = startBuiltWorker("worker", {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JOBS_PREFIX: prefix,
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: dir,
  });
  const { command } = started;
  worker = started.child;
  const pid = worker.pid!;
  // Every log line, for the publish steps; a failed job ends the wait with its error.
  const entries: LogEntry[] = [];
  const logged = (match: (e: LogEntry) => boolean) =>
    started.waitForLog((entry) => {
      if (entry.msg === "job failed") throw new Error(`job failed: ${JSON.stringify(entry.err)}`);
      return match(entry as LogEntry);
    });
  readline.createInterface({ input: worker.stdout! }).on("line", (l) => {
    try {
      entries.push(JSON.parse(l) as LogEntry);
    } catch {
      entries.push({ msg: l, time: Date.now() });
    }
  });

  await logged((e) => e.msg === "worker started");
  await new Promise((r) => setTimeout(r, 1000));
  const idle = readProcessRss(pid);
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0]!), 500);
  const published = logged((e) => e.msg === "job done" && e.job === "publishDandiset");
  const manifests = logged((e) => e.msg === "job done" && e.job === "writeManifests");
  await jobs.enqueue("publishDandiset", { dandisetId, userId });
  log("publishDandiset queued");
  const publish = await published;
  log(`published in ${publish.ms} ms`);
  const written = await manifests;
  clearInterval(sampler);
  const peak = readProcessRss(pid);
  if (publish.status !== "success" || written.status !== "success") throw new Error("a job did not succeed");

  // The publish steps from its progress lines: the time since the previous line (the first from the job's start).
  let last = publish.time - publish.ms!;
  const steps = entries
    .filter((e) => e.msg === "publishing")
    .map((e) => {
      const seconds = (e.time - last) / 1000;
      last = e.time;
      return [e.step!, seconds] as const;
    });
  const perStep = new Map<string, number>();
  for (const [step, s] of steps) perStep.set(step, (perStep.get(step) ?? 0) + s);
  perStep.set("version metadata, draft, audit, commit", (publish.time - last) / 1000);

  const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
  console.log(`assets: ${assets}; load average (1 min) during the jobs: ${load} on ${os.cpus().length} cores`);
  console.log(`worker: ${command.argv.join(" ")} (${Object.entries(command.env).map(([k, v]) => `${k}=${v}`)})`);
  console.log(
    `publishDandiset job: ${(publish.ms! / 1000).toFixed(1)} s (${[...perStep].map(([k, s]) => `${k} ${s.toFixed(1)} s`).join(", ")})`,
  );
  console.log(`writeManifests job: ${(written.ms! / 1000).toFixed(1)} s`);
  console.log(
    `publish + manifests: ${((publish.ms! + written.ms!) / 1000).toFixed(1)} s (target < 60 s); from queueing to manifests written: ${((written.time - publish.time + publish.ms!) / 1000).toFixed(1)} s`,
  );
  console.log(`worker RSS: idle ${idle.rss.toFixed(0)} MiB; peak ${peak.hwm.toFixed(0)} MiB (VmHWM)`);
} finally {
  worker?.kill("SIGTERM");
  await jobs
    .queue("default")
    .obliterate({ force: true })
    .catch(() => undefined);
  await jobs.close();
  await prisma.$disconnect();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
