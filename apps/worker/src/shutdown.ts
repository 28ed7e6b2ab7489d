import type { Job, Worker } from "bullmq";
import type { WorkerDeps } from "./deps";

/** The jobs this process is running, with the lock token each was fetched with. */
export type TActiveJobs = Map<string, { job: Job; token: string }>;

/** Runs `run` with the job registered as active, so a shutdown can hand it back. */
export async function trackActiveJob<T>(
  active: TActiveJobs,
  job: Job,
  token: string | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const key = `${job.queueName}:${job.id}`;
  if (token) active.set(key, { job, token });
  try {
    return await run();
  } finally {
    active.delete(key);
  }
}

export interface StopWorkersResult {
  /** Jobs still running at the deadline and moved back to their queue's wait list. */
  handedBack: number;
}

/**
 * Stops taking new jobs and waits up to `graceMs` for the active ones. Jobs still
 * running then are moved back to the wait list under their own lock (BullMQ's
 * moveToWait with the job's token), so another worker runs them from the start
 * right away instead of after the lock expires; the caller must then exit at once,
 * abandoning the handlers (their open transactions roll back with the connection).
 * A job whose lock is already gone is left to BullMQ's stalled-job check.
 */
export async function stopWorkers(
  deps: Pick<WorkerDeps, "logger">,
  workers: Worker[],
  active: TActiveJobs,
  graceMs: number,
): Promise<StopWorkersResult> {
  const closing = Promise.all(workers.map((w) => w.close()));
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    closing.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
  ]);
  clearTimeout(timer);
  if (finished) return { handedBack: 0 };
  let handedBack = 0;
  for (const { job, token } of active.values()) {
    try {
      await job.moveToWait(token);
      handedBack++;
      deps.logger.warn({ queue: job.queueName, job: job.name, id: job.id }, "job handed back to the queue");
    } catch (err) {
      deps.logger.error(
        { queue: job.queueName, job: job.name, id: job.id, err: (err as Error).message },
        "could not hand the job back; it is retried once its lock expires",
      );
    }
  }
  return { handedBack };
}
