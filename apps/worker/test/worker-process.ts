import { pino } from "pino";
import { loadConfigOrExit } from "@dandi/core";
import { buildWorkerDeps } from "../src/deps";
import { startWorker } from "../src/start-worker";

// A real worker process for the crash test: short locks so that a killed worker's job is re-run quickly.
const config = loadConfigOrExit();
const deps = await buildWorkerDeps(config, { logger: pino({ level: "silent" }) });
await startWorker(deps, {
  queues: config.WORKER_QUEUES,
  concurrency: 1,
  lockDurationMs: 3000,
  stalledIntervalMs: 1000,
  schedules: false,
});
process.stdout.write("ready\n");
