import { JOBS, type TJobName, type TQueueName } from "@dandi/jobs";
import type { WorkerDeps } from "./deps";

const HOUR = 3600_000;

/** The periodic sweeps: job name and period. Each runs on its job's queue. */
function scheduleTable(deps: WorkerDeps): [TJobName, number][] {
  return [
    ["sweepValidation", deps.config.DANDI_VALIDATION_JOB_INTERVAL * 1000],
    ["computeStats", deps.config.STATS_REFRESH_INTERVAL * 1000],
    // Cheap when nothing changed (an advisory lock and a read of an empty table).
    ["foldSearchBitmaps", 30_000],
    ["sweepExpiredUploads", HOUR],
    ["sweepOrphanedBlobs", 24 * HOUR],
    ["reconcileStorage", 24 * HOUR],
    ["sweepAccessLogs", HOUR / 4],
    ["sweepEmbargoes", 24 * HOUR],
    ["sendPendingUsersDigest", 24 * HOUR],
    // Cheap when the outbox is empty (the usual case: the API queues its jobs right after commit).
    ["drainJobOutbox", 15_000],
  ];
}

/**
 * Registers (idempotently: upsertJobScheduler) the sweeps of the queues this
 * process serves, so any number of processes may start without duplicating
 * them, and computes the statistics once when there are none yet.
 */
export async function upsertSchedules(deps: WorkerDeps, queues: TQueueName[]): Promise<void> {
  for (const [name, every] of scheduleTable(deps)) {
    const def = JOBS[name];
    if (!queues.includes(def.queue)) continue;
    await deps.jobs
      .queue(def.queue)
      .upsertJobScheduler(
        `every-${name}`,
        { every },
        { name, data: {}, opts: { ...def.options, removeOnComplete: true, removeOnFail: { count: 1000 } } },
      );
  }
  // Best effort: a worker starting while PostgreSQL or Redis is down must not exit over it.
  try {
    if (queues.includes("default") && (await deps.prisma.applicationStats.count()) === 0) {
      await deps.jobs.enqueue("computeStats", {});
    }
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, "initial statistics not queued; the 6-hourly sweep will do it");
  }
}

/**
 * The schedules live in Redis: a Redis that comes back empty (no persistence, a failover) would
 * run no sweep, not even the outbox drain, until the next deploy. This registers them again
 * every `everyMs` (idempotent and cheap); a failure while Redis is away is logged and retried.
 */
export function keepSchedulesRegistered(deps: WorkerDeps, queues: TQueueName[], everyMs = 30_000): NodeJS.Timeout {
  const timer = setInterval(() => {
    upsertSchedules(deps, queues).catch((err: unknown) =>
      deps.logger.warn({ err: (err as Error).message }, "schedules not registered again (Redis unavailable?)"),
    );
  }, everyMs);
  timer.unref();
  return timer;
}
