/**
 * Runs every server-side S3 operation of the archive's storage adapter and of the
 * analytics log reader with the credentials in the environment (the API user that
 * deploy/aws/setup-s3.sh created), and prints one JSON line per operation:
 * {"op": ..., "ok": true} or {"op": ..., "ok": false, "error": ...}.
 * Used by test_s3_setup.py against moto_server with IAM enforcement on.
 */
// A relative import: tests/ops is no workspace package (its dependencies resolve from packages/core).
import { createAccessLogSource, createStorage, loadConfig } from "../../packages/core/src/index";

const config = loadConfig({
  ...process.env,
  STORAGE_BACKEND: "s3",
  DATABASE_URL: "postgresql://unused@127.0.0.1:1/unused",
  SESSION_SECRET: "exercise-s3-storage-not-a-real-secret-0123456789",
});
const storage = createStorage(config);
const logs = createAccessLogSource(config);
const key = `blobs/abc/def/abcdef-${Date.now()}`;

async function op(name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
    process.stdout.write(`${JSON.stringify({ op: name, ok: true })}\n`);
  } catch (err) {
    const e = err as { name?: string; message?: string };
    process.stdout.write(`${JSON.stringify({ op: name, ok: false, error: `${e.name}: ${e.message}` })}\n`);
  }
}

await op("putObject (embargoed)", () => storage.putObject(key, "hello", { embargoed: true }));
await op("headObject", async () => {
  if (!(await storage.headObject(key))) throw new Error("object not found");
});
await op("getObjectStream", async () => {
  const stream = await storage.getObjectStream(key, { start: 0, end: 1 });
  for await (const _chunk of stream) void _chunk;
});
await op("setEmbargoedTag false", () => storage.setEmbargoedTag(key, false));
await op("setEmbargoedTag true", () => storage.setEmbargoedTag(key, true));
await op("listObjects", () => storage.listObjects("blobs/"));
await op("createMultipartUpload + abortMultipartUpload", async () => {
  const id = await storage.createMultipartUpload(`${key}-mp`, { embargoed: false });
  await storage.abortMultipartUpload(`${key}-mp`, id);
});
await op("deleteObjects", () => storage.deleteObjects([`${key}-missing`]));
await op("deleteObject", () => storage.deleteObject(key));
await op("access logs list", async () => {
  if (!logs) throw new Error("ANALYTICS_LOG_BUCKET is not set");
  for await (const _k of logs.list()) void _k;
});
