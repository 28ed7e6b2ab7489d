import { loadConfigOrExit } from "@dandi/core";
import { buildWorkerDeps } from "./deps";
import { startWorker } from "./start-worker";
import { flushSentry, initSentry } from "./instrument";

/**
 * The worker process. WORKER_QUEUES chooses the queues (Procfile: `worker` =
 * default, `checksum-worker` = checksum, `analytics-worker` = analytics);
 * SIGTERM (Heroku) or SIGINT lets active jobs finish for SHUTDOWN_TIMEOUT seconds, then
 * hands those still running back to the queue, so another worker runs each once.
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
    const started = Date.now();
    deps.logger.info({ signal }, "worker stopping");
    // Heroku's SIGKILL comes 30 s after SIGTERM: never wait that long for a connection to close.
    setTimeout(() => process.exit(1), (config.SHUTDOWN_TIMEOUT + 5) * 1000).unref();
    const { handedBack } = await running.shutdown(config.SHUTDOWN_TIMEOUT * 1000);
    // Handed-back jobs' handlers are still running here: exit at once, without waiting on their connections.
    if (handedBack === 0) {
      await deps.jobs.close();
      await deps.prisma.$disconnect();
    }
    deps.logger.info({ ms: Date.now() - started, handedBack }, "worker stopped");
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
