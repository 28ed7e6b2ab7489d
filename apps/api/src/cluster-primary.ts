import cluster, { type Worker } from "node:cluster";
import { pino } from "pino";
import type { TConfig } from "@dandi/core";

/** A worker that dies this soon after it started counts as a crash at boot (bad config, database down). */
const BOOT_CRASH_MS = 10_000;
const MAX_BOOT_CRASHES = 5;

/**
 * The primary of a web dyno with WEB_CONCURRENCY > 1: it holds no pools and serves no
 * request, only forks the API workers (node:cluster shares the listening port among them),
 * replaces one that dies, and on SIGTERM passes the signal on and exits once every worker
 * has finished its in-flight requests: 0 when all of them stopped cleanly.
 */
export function runClusterPrimary(config: TConfig): void {
  const logger = pino({ level: config.LOG_LEVEL });
  const startedAt = new Map<Worker, number>();
  let stopping = false;
  let unclean = false;
  let bootCrashes = 0;

  const fork = () => startedAt.set(cluster.fork(), Date.now());
  for (let i = 0; i < config.WEB_CONCURRENCY; i++) fork();
  logger.info({ workers: config.WEB_CONCURRENCY, port: config.PORT }, "DANDI API cluster starting");

  cluster.on("exit", (worker, code, signal) => {
    const lifetime = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (code !== 0) unclean = true;
      if (startedAt.size === 0) process.exit(unclean ? 1 : 0);
      return;
    }
    logger.error({ pid: worker.process.pid, code, signal }, "API worker died; starting another");
    bootCrashes = lifetime < BOOT_CRASH_MS ? bootCrashes + 1 : 0;
    // Workers that cannot even boot would be restarted forever: let the platform restart the dyno.
    if (bootCrashes >= MAX_BOOT_CRASHES) {
      logger.fatal({ bootCrashes }, "API workers keep crashing at start; exiting");
      process.exit(1);
    }
    setTimeout(fork, Math.min(1000 * bootCrashes, 5000));
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: startedAt.size }, "API cluster stopping");
    // Heroku signals every process of the dyno; a plain `kill <primary>` reaches only us.
    for (const worker of startedAt.keys()) worker.process.kill("SIGTERM");
    if (startedAt.size === 0) process.exit(0);
    // Past the workers' own deadline: whatever is left is stuck.
    setTimeout(
      () => {
        logger.error({ workers: startedAt.size }, "API workers did not stop in time; killing them");
        for (const worker of startedAt.keys()) worker.process.kill("SIGKILL");
        process.exit(1);
      },
      (config.SHUTDOWN_TIMEOUT + 4) * 1000,
    ).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
