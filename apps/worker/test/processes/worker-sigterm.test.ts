import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { ensureBuilt, startBuiltProcess, type BuiltProcess, type LogEntry } from "@dandi/testing";
import { buildBlob, createWorkerTestContext, sha256Of, waitFor } from "../context";

// The built checksum worker (apps/worker/dist/main.js, WORKER_QUEUES=checksum as in the Procfile)
// gets SIGTERM in the middle of a real job, the SHA-256 of a big local blob. Within
// SHUTDOWN_TIMEOUT it finishes the job; past it, it hands the job back and another worker runs
// it. Either way the job runs to completion exactly once: never twice, never lost.

const MAIN_JS = ensureBuilt("worker");
const ctx = await createWorkerTestContext();
const processes: BuiltProcess[] = [];
afterAll(() => {
  for (const p of processes) p.kill();
});

function startChecksumWorker(shutdownTimeout: number): BuiltProcess {
  const worker = startBuiltProcess(MAIN_JS, {
    ...ctx.env,
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    WORKER_QUEUES: "checksum",
    WORKER_CONCURRENCY: "1",
    SHUTDOWN_TIMEOUT: String(shutdownTimeout),
  });
  processes.push(worker);
  return worker;
}

const isDone = (jobId: string) => (e: LogEntry) => e.msg === "job done" && String(e.id ?? e.job_id) === jobId;

/** Queues the SHA-256 of a fresh blob of `bytes` random bytes and waits until `worker` is running it. */
async function startHashing(worker: BuiltProcess, bytes: number) {
  const content = randomBytes(bytes);
  const blob = await buildBlob(ctx.deps, content);
  const job = await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
  const jobId = String(job.id);
  await worker.waitForLog((e) => e.msg === "worker started", 120_000);
  const queue = ctx.deps.jobs.queue("checksum");
  await waitFor(async () => (await queue.getJob(jobId))?.processedOn, 60_000);
  expect(await queue.getActiveCount()).toBe(1);
  return { blob, jobId, sha256: sha256Of(content), queue };
}

/** Completed (or already removed as completed jobs are), and nothing left waiting, running or failed. */
async function expectFinished(queue: Queue, jobId: string) {
  const state = await queue.getJobState(jobId);
  expect(["completed", "unknown"]).toContain(state);
  expect(await queue.getJobCounts("waiting", "active", "delayed", "failed")).toMatchObject({
    waiting: 0,
    active: 0,
    delayed: 0,
    failed: 0,
  });
}

describe("the built worker on SIGTERM in the middle of a job", () => {
  it("finishes the job within SHUTDOWN_TIMEOUT, then exits 0", async () => {
    const worker = startChecksumWorker(20);
    const { blob, jobId, sha256, queue } = await startHashing(worker, 256 * 1024 * 1024);
    const sigterm = Date.now();
    worker.terminate();
    const code = await worker.exited;
    const exitMs = Date.now() - sigterm;
    console.log(`finish-within-budget: exit code ${code} ${exitMs} ms after SIGTERM`);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(30_000);
    expect(worker.logs.filter(isDone(jobId))).toHaveLength(1);
    expect(worker.logs.some((e) => e.msg === "job handed back to the queue")).toBe(false);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBe(sha256);
    expect(worker.logs.find(isDone(jobId))!.status).toBe("success");
    await expectFinished(queue, jobId);
  }, 240_000);

  it("past SHUTDOWN_TIMEOUT hands the job back; the next worker runs it once to completion", async () => {
    const first = startChecksumWorker(0.5);
    const { blob, jobId, sha256, queue } = await startHashing(first, 1024 * 1024 * 1024);
    const sigterm = Date.now();
    first.terminate();
    const code = await first.exited;
    const exitMs = Date.now() - sigterm;
    expect(code).toBe(0);
    expect(first.logs.some((e) => e.msg === "job handed back to the queue" && String(e.id) === jobId)).toBe(true);
    expect(first.logs.filter(isDone(jobId))).toHaveLength(0);
    // Back in the wait list at once (not after its lock expires), with no hash stored by the abandoned run.
    expect(await (await queue.getJob(jobId))!.getState()).toBe("waiting");
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBeNull();

    const second = startChecksumWorker(20);
    await second.waitForLog(isDone(jobId), 120_000);
    console.log(`hand-back: exit code ${code} ${exitMs} ms after SIGTERM; the next worker completed the job`);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBe(sha256);
    expect(second.logs.find(isDone(jobId))!.status).toBe("success");
    await expectFinished(queue, jobId);
    expect([...first.logs, ...second.logs].filter(isDone(jobId))).toHaveLength(1);
    second.terminate();
    expect(await second.exited).toBe(0);
  }, 240_000);
});
