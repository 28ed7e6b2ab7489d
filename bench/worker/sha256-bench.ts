/**
 * Checksum benchmark: the checksum job's SHA-256 (+ dandi-etag check) of a 2 GiB
 * blob in local storage, against `openssl dgst -sha256` on the same file, and the
 * process's peak RSS while hashing. Run: `tsx bench/worker/sha256-bench.ts [GiB]`.
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  computeBlobSha256,
  createStorage,
  DandiEtagCalculator,
  loadConfig,
  type LocalStorage,
} from "../../apps/worker/node_modules/@dandi/core/src/index";
import { createPrisma } from "../../apps/worker/node_modules/@dandi/db/src/index";
import { createTestDatabase } from "../../apps/worker/node_modules/@dandi/testing/src/index";

// Child mode: hash one blob as the checksum job does and report time and peak RSS of this process only.
if (process.argv[2] === "--child") {
  const [, , , dbUrl, storageDir, blobId] = process.argv;
  const childConfig = loadConfig({
    DATABASE_URL: dbUrl,
    SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: storageDir,
  });
  const childPrisma = createPrisma({ databaseUrl: dbUrl!, poolSize: 1 });
  const rssBefore = process.memoryUsage().rss;
  const t = performance.now();
  const r = await computeBlobSha256({ db: childPrisma, storage: createStorage(childConfig), blobId: BigInt(blobId!) });
  const seconds = (performance.now() - t) / 1000;
  process.stdout.write(
    JSON.stringify({
      seconds,
      sha256: r.status === "computed" ? r.sha256 : r.status,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      rssBeforeMb: rssBefore / 1024 ** 2,
    }),
  );
  await childPrisma.$disconnect();
  process.exit(0);
}

const gib = Number(process.argv[2] ?? 2);
const size = Math.round(gib * 1024 ** 3);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sha256-bench-"));
const db = await createTestDatabase();
const config = loadConfig({
  DATABASE_URL: db.url,
  SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
  STORAGE_BACKEND: "local",
  LOCAL_STORAGE_DIR: dir,
  LOG_LEVEL: "silent",
});
const storage = createStorage(config) as LocalStorage;
const prisma = createPrisma({ databaseUrl: db.url, poolSize: 2 });

try {
  const uuid = randomUUID();
  const key = `blobs/${uuid.slice(0, 3)}/${uuid.slice(3, 6)}/${uuid}`;
  await storage.putObject(key, "placeholder");
  // Write the content straight into the object's file (a 2 GiB Buffer for putObject would defeat the point).
  const file = storage.objectPath(key);
  const block = randomBytes(8 * 1024 * 1024);
  const fd = fs.openSync(file, "w");
  const etag = new DandiEtagCalculator(size);
  for (let written = 0; written < size;) {
    const chunk = block.subarray(0, Math.min(block.length, size - written));
    fs.writeSync(fd, chunk);
    etag.update(chunk);
    written += chunk.length;
  }
  fs.closeSync(fd);
  const blob = await prisma.assetBlob.create({ data: { blobId: uuid, key, etag: etag.digest(), size: BigInt(size) } });

  const child = JSON.parse(
    execFileSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, "--child", db.url, dir, String(blob.id)],
      {
        maxBuffer: 1 << 20,
      },
    ).toString(),
  ) as { seconds: number; sha256: string; maxRssMb: number; rssBeforeMb: number };
  const jobSeconds = child.seconds;
  const result = { status: "computed", sha256: child.sha256 };
  const peakRssMb = child.maxRssMb;
  const rssBefore = child.rssBeforeMb * 1024 ** 2;

  const t1 = performance.now();
  const sha = createHash("sha256");
  for await (const c of await storage.getObjectStream(key)) sha.update(c as Buffer);
  const shaOnlySeconds = (performance.now() - t1) / 1000;

  const t2 = performance.now();
  const openssl = execFileSync("openssl", ["dgst", "-sha256", "-r", file]).toString().split(" ")[0];
  const opensslSeconds = (performance.now() - t2) / 1000;

  if (result.status !== "computed" || result.sha256 !== openssl || sha.digest("hex") !== openssl) {
    throw new Error(`digest mismatch: ${JSON.stringify(result)} vs ${openssl}`);
  }
  const mbps = (s: number) => (size / 1024 ** 2 / s).toFixed(0);
  console.log(`blob size: ${gib} GiB; load average: ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
  console.log(`checksum job (sha256 + dandi-etag check): ${jobSeconds.toFixed(2)} s, ${mbps(jobSeconds)} MiB/s`);
  console.log(`sha256 alone over storage stream:        ${shaOnlySeconds.toFixed(2)} s, ${mbps(shaOnlySeconds)} MiB/s`);
  console.log(`openssl dgst -sha256:                    ${opensslSeconds.toFixed(2)} s, ${mbps(opensslSeconds)} MiB/s`);
  console.log(`ratio job/openssl: ${(opensslSeconds / jobSeconds).toFixed(2)} (target >= 0.9)`);
  console.log(`ratio sha256-only/openssl: ${(opensslSeconds / shaOnlySeconds).toFixed(2)}`);
  console.log(
    `peak RSS: ${peakRssMb.toFixed(0)} MB (before hashing ${(rssBefore / 1024 ** 2).toFixed(0)} MB; target < 150 MB)`,
  );
} finally {
  await prisma.$disconnect();
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
