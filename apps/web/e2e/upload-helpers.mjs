/* global Buffer */
/**
 * Helpers of the browser-upload suite: a moto_server bucket with the operator
 * guide's CORS rule (deploy/aws/cors.json, so the rule a deployment installs is
 * the one tested), the dandi-etag as the CLI computes it, and the real `dandi`
 * CLI.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, importTestHelper } from "./harness.mjs";

/**
 * A private moto_server whose S3 answers CORS from the bucket's own rules (moto otherwise allows
 * every origin and exposes no header), with deploy/aws/cors.json installed for `webOrigin` once it
 * is known: the part PUTs (preflight, ETag exposed) go through the operator guide's rule. moto 5.2
 * sends no CORS headers on CompleteMultipartUpload's answer (AWS does): the browser's POST is
 * still carried out, its answer is unreadable, and validate confirms the object.
 */
export async function startMotoWithCors() {
  const { startMotoServer } = await importTestHelper("moto.ts");
  const before = process.env.MOTO_DISABLE_GLOBAL_CORS;
  process.env.MOTO_DISABLE_GLOBAL_CORS = "true";
  try {
    const moto = await startMotoServer();
    return {
      ...moto,
      async allowOrigin(webOrigin) {
        const s3 = createRequire(path.join(REPO_ROOT, "packages/testing/package.json"))("@aws-sdk/client-s3");
        const rule = JSON.parse(
          fs.readFileSync(path.join(REPO_ROOT, "deploy/aws/cors.json"), "utf8").replaceAll("${WEB_ORIGIN}", webOrigin),
        );
        const client = new s3.S3Client({
          region: "us-east-1",
          endpoint: moto.endpoint,
          forcePathStyle: true,
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
        });
        await client.send(new s3.PutBucketCorsCommand({ Bucket: moto.bucket, CORSConfiguration: rule }));
        client.destroy();
      },
    };
  } finally {
    if (before === undefined) delete process.env.MOTO_DISABLE_GLOBAL_CORS;
    else process.env.MOTO_DISABLE_GLOBAL_CORS = before;
  }
}

const PART = 64 * 1024 * 1024;

/** DANDI's dandi-etag of a file on disk (64 MiB parts below 640 GB), read in parts. */
export function dandiEtagOfFile(file) {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, "r");
  const digests = [];
  try {
    const buf = Buffer.alloc(Math.min(PART, size));
    for (let offset = 0; offset < size; offset += PART) {
      const n = fs.readSync(fd, buf, 0, Math.min(PART, size - offset), offset);
      digests.push(createHash("md5").update(buf.subarray(0, n)).digest());
    }
  } finally {
    fs.closeSync(fd);
  }
  return `${createHash("md5").update(Buffer.concat(digests)).digest("hex")}-${digests.length}`;
}

export const sha256OfFile = (file) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** The real dandi CLI of the repository's venv, with a private HOME and no cache. */
export function dandi(args, { cwd, home }) {
  const exe = process.env.DANDI_BIN ?? path.join(REPO_ROOT, ".venv", "bin", "dandi");
  fs.mkdirSync(home, { recursive: true });
  return execFileSync(exe, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
    env: {
      ...process.env,
      HOME: home,
      DANDI_NO_ET: "1",
      DANDI_CACHE: "ignore",
      DANDI_DEVEL: "1",
      PYTHON_KEYRING_BACKEND: "keyring.backends.null.Keyring",
    },
  });
}
