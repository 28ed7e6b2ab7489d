import { loadConfigOrExit } from "@dandi/core";
import { buildWorkerDeps } from "./deps";
import { startWorker } from "./start-worker";
import { flushSentry, initSentry } from "./instrument";

/**
 * The worker process. WORKER_QUEUES chooses the queues (Procfile: `worker` =
 * default, `checksum-worker` = checksum, `analytics-worker` = analytics);
 * SIGTERM (Heroku) or SIGINT lets active jobs finish before exiting.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  initSentry(config);
  const deps = await buildWorkerDeps(config);
  const running = await startWorker(deps, { queues: config.WORKER_QUEUES, concurrency: config.WORKER_CONCURRENCY });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, "worker stopping");
    await running.close();
    await deps.jobs.close();
    await deps.prisma.$disconnect();
    await flushSentry();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed to start: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
