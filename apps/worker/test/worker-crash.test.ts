import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerTestContext, waitFor, type WorkerTestContext } from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

let ctx: WorkerTestContext;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ctx = await createWorkerTestContext();
});
/** SIGKILL to the whole process group: tsx runs the worker in a child node process of its own. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
}
afterAll(() => {
  for (const c of children) killGroup(c);
});

/** Starts `test/worker-process.ts` with this context's settings; resolves once it serves the queue. */
async function spawnWorker(): Promise<ChildProcess> {
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), ["test/worker-process.ts"], {
    cwd: root,
    env: { ...process.env, ...ctx.env, WORKER_QUEUES: "default" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`worker exited early with ${code}`)));
  });
  return child;
}

describe("a worker killed in the middle of a job", () => {
  it("leaves no partial publish, and the job completes after a restart with no duplicate rows", async () => {
    // Two link batches: long enough to be caught in the middle even on an idle machine.
    const assets = 30_000;
    const { dandisetId, draftId, userId } = await seedDandisetWithAssets(ctx.prisma, assets, "Publishing");
    const first = await spawnWorker();
    await ctx.deps.jobs.enqueue("publishDandiset", { dandisetId, userId });
    const queue = ctx.deps.jobs.queue("default");
    await waitFor(async () => (await queue.getActiveCount()) > 0);
    // Killed while the publish transaction links and freezes assets (its batch statement is on the server).
    await waitFor(async () => {
      const rows = await ctx.prisma.$queryRaw<unknown[]>`
        SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%WITH batch AS%'`;
      return rows.length > 0;
    });
    const exited = new Promise((r) => first.once("exit", r));
    killGroup(first);
    await exited;

    // The killed transaction rolled back: nothing of the publish is visible.
    expect(await ctx.prisma.version.count({ where: { dandisetId } })).toBe(1);
    expect((await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).status).toBe("Publishing");

    await spawnWorker();
    await waitFor(
      async () => (await ctx.prisma.version.findUniqueOrThrow({ where: { id: draftId } })).status === "Published",
      60_000,
    );
    const versions = await ctx.prisma.version.findMany({ where: { dandisetId, version: { not: "draft" } } });
    expect(versions).toHaveLength(1);
    expect(await ctx.prisma.versionAsset.count({ where: { versionId: versions[0]!.id } })).toBe(assets);
    expect(await ctx.prisma.asset.count({ where: { published: true } })).toBe(assets);
    expect(await ctx.prisma.auditRecord.count({ where: { dandisetId, recordType: "publish_dandiset" } })).toBe(1);
    expect(await queue.getFailedCount()).toBe(0);
  }, 180_000);
});
