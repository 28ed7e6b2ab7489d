import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSentry, startMotoServer, type FakeSentry, type MotoServer } from "@dandi/testing";
import { buildBlob, createWorkerTestContext, waitFor, type WorkerTestContext } from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

// The worker process as the Procfile runs it (src/main.ts, so Sentry is set up from SENTRY_DSN), on S3
// (moto), reporting to a local server that speaks Sentry's envelope protocol.
let moto: MotoServer;
let sentry: FakeSentry;
let ctx: WorkerTestContext;
let worker: ChildProcess;
let stdout = "";

beforeAll(async () => {
  moto = await startMotoServer();
  sentry = await startFakeSentry();
  ctx = await createWorkerTestContext(moto.env);
  const workerDir = path.resolve(import.meta.dirname, "..");
  worker = spawn(path.join(workerDir, "node_modules/.bin/tsx"), ["src/main.ts"], {
    cwd: workerDir,
    env: {
      PATH: process.env.PATH,
      ...ctx.env,
      WORKER_QUEUES: "checksum",
      LOG_LEVEL: "info",
      SENTRY_DSN: sentry.dsn,
      SENTRY_ENVIRONMENT: "worker-observability-test",
      SENTRY_TRACES_SAMPLE_RATE: "0",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  worker.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  await waitFor(async () => stdout.includes('"worker started"'), 60_000);
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await sentry?.close();
  await moto?.stop();
});

const logLines = () =>
  stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("worker observability", () => {
  it("sends a failed job to Sentry with its queue, name, id, attempt, dandiset and request id", async () => {
    // A draft asset whose blob's object is not in the bucket: computeBlobSha256 fails for real (NoSuchKey).
    const { dandisetId, draftId } = await seedDandisetWithAssets(ctx.prisma, 1, "Pending");
    const asset = await ctx.prisma.versionAsset.findFirstOrThrow({
      where: { versionId: draftId },
      include: { asset: true },
    });
    const blobId = String(asset.asset.blobId);
    await ctx.prisma.assetBlob.update({ where: { id: BigInt(blobId) }, data: { sha256: null } });
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId }, { requestId: "req-worker-fail-01" });

    const event = await sentry.waitForEvent((e) => e.tags?.job_name === "computeBlobSha256", 30_000);
    expect(event).toMatchObject({
      level: "warning",
      environment: "worker-observability-test",
      tags: {
        queue: "checksum",
        job_name: "computeBlobSha256",
        job_id: `sha256-${blobId}`,
        attempt: 1,
        final: false,
        dandiset: String(dandisetId).padStart(6, "0"),
        request_id: "req-worker-fail-01",
        process: "worker:checksum",
      },
    });
    expect(event.exception?.values?.[0]?.value).toMatch(/is not in storage$/);
    expect(sentry.rawText()).not.toMatch(/X-Amz-(Signature|Credential)=(?!\[Filtered\])/);

    const failed = await waitFor(async () =>
      logLines().find((l) => l.msg === "job failed" && l.job_id === `sha256-${blobId}`),
    );
    expect(failed).toMatchObject({ queue: "checksum", attempt: 1, req_id: "req-worker-fail-01", level: 40 });
  });

  it("prints the request id on a job's log lines and passes it on to the jobs the job queues", async () => {
    const { draftId } = await seedDandisetWithAssets(ctx.prisma, 0);
    const blob = await buildBlob(ctx.deps, Buffer.from("observed bytes"));
    await ctx.prisma.asset.create({
      data: {
        assetId: randomUUID(),
        path: "observed.txt",
        blobId: blob.id,
        metadata: { schemaKey: "Asset", path: "observed.txt" },
        status: "Pending",
        versions: { create: { versionId: draftId, path: "observed.txt", created: new Date() } },
      },
    });
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: String(blob.id) }, { requestId: "req-worker-ok-0001" });

    const done = await waitFor(async () =>
      logLines().find((l) => l.msg === "job done" && l.req_id === "req-worker-ok-0001"),
    );
    expect(done).toMatchObject({
      queue: "checksum",
      job: "computeBlobSha256",
      job_id: `sha256-${blob.id}`,
      status: "success",
    });
    // validateAsset runs on the default queue, which this worker does not serve: it waits there with the id.
    const waiting = await ctx.deps.jobs.queue("default").getJobs(["waiting", "delayed", "prioritized"]);
    expect(waiting.find((j) => j.name === "validateAsset")?.data).toMatchObject({ requestId: "req-worker-ok-0001" });
  });
});
