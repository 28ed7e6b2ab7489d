/**
 * Checksum benchmark, measured on what production runs: the BUILT worker
 * (`apps/worker/dist/main.js`, started with the Procfile's `checksum-worker`
 * command line, so `WORKER_QUEUES=checksum` and its node flags) hashes a real
 * `computeBlobSha256` job for a blob of N GiB in local storage. Prints the job's
 * time (the worker's own "job done" log line) against `openssl dgst -sha256` on
 * the same file as a ratio, and the worker's RSS: idle after start, and its peak
 * (VmHWM from /proc/<pid>/status, sampled while it hashes).
 * Run after `pnpm build`: `tsx bench/worker/sha256-bench.ts [GiB=2] [--s3]` (--s3: the worker
 * streams the blob from S3, a local moto_server, as in production; openssl still reads the file).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  createStorage,
  DandiEtagCalculator,
  loadConfig,
  planEtagParts,
  type LocalStorage,
} from "../../apps/worker/node_modules/@dandi/core/src/index";
import { createPrisma } from "../../apps/worker/node_modules/@dandi/db/src/index";
import { JobsClient } from "../../apps/worker/node_modules/@dandi/jobs/src/index";
import {
  createTestDatabase,
  startMotoServer,
  type MotoServer,
} from "../../apps/worker/node_modules/@dandi/testing/src/index";
import { readProcessRss, startBuiltWorker } from "../lib/worker-process";

const gib = Number(process.argv.slice(2).find((a) => !a.startsWith("--")) ?? 2);
/** --s3: the worker reads the blob from S3 (a local moto_server) instead of local storage. */
const onS3 = process.argv.includes("--s3");
const size = Math.round(gib * 1024 ** 3);

const log = (s: string) => process.stderr.write(`${s}\n`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sha256-bench-"));
const db = await createTestDatabase();
const prefix = `sha256-bench-${process.pid}`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const jobs = new JobsClient({ redisUrl, prefix });
const prisma = createPrisma({ databaseUrl: db.url, poolSize: 2 });
let workerProcess: ChildProcess | undefined;
let moto: MotoServer | undefined;

try {
  // The blob: random content uploaded as a client does, in DANDI's parts through local storage's
  // multipart upload, so storage records the object's ETag (= its dandi-etag) as it would for a real upload.
  const uuid = randomUUID();
  const key = `blobs/${uuid.slice(0, 3)}/${uuid.slice(3, 6)}/${uuid}`;
  const storage = createStorage(
    loadConfig({
      DATABASE_URL: db.url,
      SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
      STORAGE_BACKEND: "local",
      LOCAL_STORAGE_DIR: dir,
    }),
  ) as LocalStorage;
  const block = randomBytes(8 * 1024 * 1024);
  const etag = new DandiEtagCalculator(size);
  const uploadId = await storage.createMultipartUpload(key, { embargoed: false });
  const parts: string[] = [];
  for (const part of planEtagParts(size)) {
    const chunks = function* () {
      for (let sent = 0; sent < part.size;) {
        const chunk = block.subarray(0, Math.min(block.length, part.size - sent));
        etag.update(chunk);
        sent += chunk.length;
        yield chunk;
      }
    };
    const partEtag = await storage.uploadPart(uploadId, part.partNumber, Readable.from(chunks()), part.size);
    parts.push(`<Part><PartNumber>${part.partNumber}</PartNumber><ETag>"${partEtag}"</ETag></Part>`);
  }
  const completed = await storage.completeMultipartUpload(
    uploadId,
    `<CompleteMultipartUpload>${parts.join("")}</CompleteMultipartUpload>`,
  );
  const file = storage.objectPath(key);
  log(`uploaded ${gib} GiB in ${parts.length} parts`);
  const blob = await prisma.assetBlob.create({ data: { blobId: uuid, key, etag: etag.digest(), size: BigInt(size) } });
  if (completed.etag !== blob.etag)
    throw new Error(`storage ETag ${completed.etag} is not the dandi-etag ${blob.etag}`);
  const storageEnv: Record<string, string> = { STORAGE_BACKEND: "local", LOCAL_STORAGE_DIR: dir };
  if (onS3) {
    // The same bytes into S3 as the CLI uploads them: presigned part PUTs, then the complete POST.
    moto = await startMotoServer();
    Object.assign(storageEnv, moto.env);
    const s3 = createStorage(
      loadConfig({ DATABASE_URL: db.url, SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789", ...moto.env }),
    );
    const s3Upload = await s3.createMultipartUpload(key, { embargoed: false });
    const fd = fs.openSync(file, "r");
    const s3Parts: string[] = [];
    for (const part of planEtagParts(size)) {
      const body = Buffer.allocUnsafe(part.size);
      fs.readSync(fd, body, 0, part.size, part.offset);
      const put = await fetch(await s3.presignUploadPart(key, s3Upload, part.partNumber, part.size), {
        method: "PUT",
        body,
      });
      if (!put.ok) throw new Error(`part ${part.partNumber}: ${put.status}`);
      s3Parts.push(`<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${put.headers.get("etag")}</ETag></Part>`);
    }
    fs.closeSync(fd);
    const done = await fetch(await s3.presignCompleteMultipartUpload(key, s3Upload), {
      method: "POST",
      body: `<CompleteMultipartUpload>${s3Parts.join("")}</CompleteMultipartUpload>`,
    });
    if (!done.ok) throw new Error(`complete: ${done.status}`);
    const head = await s3.headObject(key);
    if (head?.etag !== blob.etag) throw new Error(`S3 ETag ${head?.etag} is not the dandi-etag ${blob.etag}`);
    log(`uploaded to S3 (moto_server) too`);
  }

  // openssl runs before the job (leaving the file in the page cache for both) and after it; the faster run counts.
  const runOpenssl = () => {
    const t0 = performance.now();
    const digest = execFileSync("openssl", ["dgst", "-sha256", "-r", file]).toString().split(" ")[0];
    return { digest, seconds: (performance.now() - t0) / 1000 };
  };
  const opensslBefore = runOpenssl();
  const openssl = opensslBefore.digest;

  const worker = startBuiltWorker("checksum-worker", {
    DATABASE_URL: db.url,
    REDIS_URL: redisUrl,
    JOBS_PREFIX: prefix,
    ...storageEnv,
  });
  workerProcess = worker.child;
  const pid = worker.child.pid!;
  const { command } = worker;
  const logged = (msg: string) =>
    worker.waitForLog((e) => {
      if (e.msg === "job failed") throw new Error(`job failed: ${String(e.err)}`);
      return e.msg === msg;
    });

  log("waiting for the worker");
  await logged("worker started");
  log("worker started");
  await new Promise((r) => setTimeout(r, 1000));
  const idle = readProcessRss(pid);

  const done = logged("job done");
  let sampledMax = 0;
  const sampler = setInterval(() => (sampledMax = Math.max(sampledMax, readProcessRss(pid).rss)), 50);
  await jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
  log("job queued");
  const entry = await done;
  clearInterval(sampler);
  const after = readProcessRss(pid);
  const jobSeconds = Number(entry.ms) / 1000;

  const opensslSeconds = Math.min(opensslBefore.seconds, runOpenssl().seconds);
  const stored = await prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } });
  if (entry.status !== "success" || stored.sha256 !== openssl) {
    throw new Error(`job ${String(entry.status)}: stored ${stored.sha256} vs openssl ${openssl}`);
  }
  const mbps = (s: number) => (size / 1024 ** 2 / s).toFixed(0);
  console.log(`storage: ${onS3 ? "S3 (moto_server)" : "local"}`);
  console.log(`blob size: ${gib} GiB; load average: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`worker: ${command.argv.join(" ")} (${Object.entries(command.env).map(([k, v]) => `${k}=${v}`)})`);
  console.log(`checksum job (sha256; size and etag checked): ${jobSeconds.toFixed(2)} s, ${mbps(jobSeconds)} MiB/s`);
  console.log(
    `openssl dgst -sha256 (best of 2):         ${opensslSeconds.toFixed(2)} s, ${mbps(opensslSeconds)} MiB/s`,
  );
  console.log(`ratio openssl time / job time: ${(opensslSeconds / jobSeconds).toFixed(2)} (target >= 0.9)`);
  console.log(
    `worker RSS: idle ${idle.rss.toFixed(0)} MB; peak ${after.hwm.toFixed(0)} MB (VmHWM; sampled max ${sampledMax.toFixed(0)} MB; target < 150 MB)`,
  );
} finally {
  workerProcess?.kill("SIGTERM");
  await moto?.stop();
  await jobs
    .queue("checksum")
    .obliterate({ force: true })
    .catch(() => undefined);
  await jobs.close();
  await prisma.$disconnect();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
