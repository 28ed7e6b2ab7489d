import { UnrecoverableError, Worker, type Job } from "bullmq";
import {
  jobsOfQueue,
  parsePayload,
  redisOptionsFromUrl,
  runWithRequestId,
  splitJobData,
  type TJobName,
  type TQueueName,
} from "@dandi/jobs";
import type { WorkerDeps } from "./deps";
import { loadHandler } from "./handlers";
import type { THandler } from "./handlers/handler";
import { keepSchedulesRegistered, upsertSchedules } from "./schedules";
import { reportJobFailure } from "./report-job-failure";
import { stopWorkers, trackActiveJob, type StopWorkersResult, type TActiveJobs } from "./shutdown";

export interface StartWorkerOptions {
  queues: TQueueName[];
  concurrency: number;
  /** How long a job's lock lasts without renewal; a killed worker's job is retried once it expires. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Register the periodic sweeps of the served queues (default true). */
  schedules?: boolean;
}

export interface RunningWorker {
  workers: Worker[];
  /** Stops taking jobs, waits for the active ones, closes connections. */
  close(): Promise<void>;
  /** SIGTERM: stops taking jobs, waits up to `graceMs`, then hands the still active jobs back to the queue. */
  shutdown(graceMs: number): Promise<StopWorkersResult>;
}

/** Runs one BullMQ worker per served queue, dispatching jobs to their handlers by name. */
export async function startWorker(deps: WorkerDeps, options: StartWorkerOptions): Promise<RunningWorker> {
  const connection = redisOptionsFromUrl(deps.config.REDIS_URL);
  const active: TActiveJobs = new Map();
  const workers = options.queues.map((queue) => {
    const worker = new Worker(
      queue,
      (job: Job, token) => trackActiveJob(active, job, token, () => runJob(job, queue, deps)),
      {
        connection,
        prefix: deps.jobs.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs ?? 60_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: 3,
      },
    );
    worker.on("failed", (job, err) => void reportJobFailure(deps, queue, job, err));
    worker.on("error", (err) => deps.logger.error({ queue, err }, "worker error"));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  if (options.schedules ?? true) await upsertSchedules(deps, options.queues);
  const refresh = (options.schedules ?? true) && keepSchedulesRegistered(deps, options.queues);
  deps.logger.info({ queues: options.queues, concurrency: options.concurrency }, "worker started");
  return {
    workers,
    async close() {
      if (refresh) clearInterval(refresh);
      await Promise.all(workers.map((w) => w.close()));
    },
    shutdown: (graceMs) => stopWorkers(deps, workers, active, graceMs),
  };
}

async function runJob(job: Job, queue: TQueueName, deps: WorkerDeps) {
  const name = job.name as TJobName;
  if (!jobsOfQueue(queue).includes(name)) throw new UnrecoverableError(`unknown job ${job.name} on queue ${queue}`);
  const { payload: data, requestId } = splitJobData(job.data);
  let payload;
  try {
    payload = parsePayload(name, data);
  } catch (err) {
    throw new UnrecoverableError(`invalid payload: ${(err as Error).message}`);
  }
  const handler = (await loadHandler(name)) as THandler<typeof name>;
  const started = Date.now();
  // The job's log lines carry the id of the request that queued it, and so do the jobs it queues.
  const logger = deps.logger.child({ queue, job: name, job_id: job.id, req_id: requestId });
  const result = await runWithRequestId(requestId, () => handler(payload as never, { ...deps, logger }));
  logger.info({ status: result.status, ms: Date.now() - started }, "job done");
  // A "failed" result is final: retrying cannot help, but admins must see it among the failed jobs.
  if (result.status === "failed") throw new UnrecoverableError(JSON.stringify(result.detail ?? "failed"));
  return result;
}
