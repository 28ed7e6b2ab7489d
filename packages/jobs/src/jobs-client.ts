import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { whenQueueAvailable } from "./availability";
import { QUEUE_CLIENT_REDIS_OPTIONS, createRedisConnection } from "./connection";
import { JOBS, QUEUE_NAMES, type TJobName, type TJobPayload, type TQueueName } from "./definitions";
import { REQUEST_ID_FIELD, currentRequestId } from "./request-context";

export interface JobsClientOptions {
  redisUrl: string;
  /** BullMQ key prefix; tests use a unique one per file so runs never collide. */
  prefix?: string;
  /** Connection errors (Redis down, reconnecting): logged by the caller, never thrown. */
  onError?: (err: Error) => void;
}

export interface FailedJobInfo {
  queue: TQueueName;
  name: string;
  id: string;
  data: unknown;
  failedReason: string;
  attemptsMade: number;
  timestamp: number;
  processedOn: number | null;
  finishedOn: number | null;
}

/** Completed jobs are dropped so that a fixed jobId can be queued again later; failed ones stay for admins. */
const RETENTION = { removeOnComplete: true, removeOnFail: { age: 14 * 24 * 3600, count: 10_000 } };

/**
 * The API's and the worker's handle on the queues: typed `enqueue` of a job
 * definition. Call `enqueue` only after the transaction that made the work
 * necessary has committed, so a worker never reads state that is not there yet.
 */
export class JobsClient {
  readonly prefix: string;
  private readonly connection: Redis;
  private readonly queues = new Map<TQueueName, Queue>();
  private readonly onError: (err: Error) => void;

  constructor(options: JobsClientOptions) {
    this.prefix = options.prefix ?? "bull";
    // Fail fast while Redis is down (the callers keep the work in the outbox), reconnect by itself.
    this.connection = createRedisConnection(options.redisUrl, QUEUE_CLIENT_REDIS_OPTIONS);
    this.onError = options.onError ?? (() => undefined);
    this.connection.on("error", this.onError);
  }

  /** The BullMQ queue object (created lazily, sharing one connection). */
  queue(name: TQueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // A Queue re-emits its connection's errors: without a listener, one would kill the process.
      q.on("error", this.onError);
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Validates the payload and queues the job; a job with the same fixed id already queued makes
   * this a no-op; a failed one kept for the admins is replaced. The job carries the request id
   * (`options.requestId`, else the running request's or job's) for its log lines and Sentry events.
   */
  async enqueue<N extends TJobName>(
    name: N,
    payload: TJobPayload<N>,
    options: { delayMs?: number; requestId?: string } = {},
  ): Promise<Job> {
    const def = JOBS[name];
    const data = def.payload.parse(payload) as TJobPayload<N>;
    const jobId = "jobId" in def ? (def.jobId as (p: TJobPayload<N>) => string)(data) : undefined;
    const delay = options.delayMs ?? def.options.delay;
    return whenQueueAvailable(this.connection, async () => {
      if (jobId !== undefined) await this.removeFailed(def.queue, [jobId]);
      return this.queue(def.queue).add(name, withRequestId(data, options.requestId), {
        ...def.options,
        ...RETENTION,
        jobId,
        delay,
      });
    });
  }

  /**
   * Removes the jobs of these ids that are in the failed state (others are left
   * alone): one pipelined round trip to find them in the failed set, then one
   * remove per failed job, so a sweep's bulk enqueue stays cheap.
   */
  private async removeFailed(queueName: TQueueName, jobIds: string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const queue = this.queue(queueName);
    const pipeline = this.connection.pipeline();
    for (const id of jobIds) pipeline.zscore(queue.keys.failed!, id);
    const scores = (await pipeline.exec()) ?? [];
    const failed = jobIds.filter((_, i) => scores[i]?.[1] != null);
    await Promise.all(failed.map((id) => queue.remove(id)));
  }

  /** Queues many jobs of one kind in one round trip. */
  async enqueueMany<N extends TJobName>(name: N, payloads: TJobPayload<N>[]): Promise<void> {
    if (payloads.length === 0) return;
    const def = JOBS[name];
    const jobIdOf = "jobId" in def ? (def.jobId as (p: TJobPayload<N>) => string) : undefined;
    const jobs = payloads.map((p) => {
      const data = def.payload.parse(p) as TJobPayload<N>;
      return { name, data: withRequestId(data), opts: { ...def.options, ...RETENTION, jobId: jobIdOf?.(data) } };
    });
    await whenQueueAvailable(this.connection, async () => {
      await this.removeFailed(
        def.queue,
        jobs.flatMap((j) => (j.opts.jobId === undefined ? [] : [j.opts.jobId])),
      );
      await this.queue(def.queue).addBulk(jobs);
    });
  }

  /** Failed jobs of every queue, newest first, for the admin endpoint. */
  async listFailed(offset: number, limit: number): Promise<{ count: number; jobs: FailedJobInfo[] }> {
    return whenQueueAvailable(this.connection, () => this.readFailed(offset, limit));
  }

  private async readFailed(offset: number, limit: number): Promise<{ count: number; jobs: FailedJobInfo[] }> {
    const perQueue = await Promise.all(
      QUEUE_NAMES.map(async (q) => ({ q, jobs: await this.queue(q).getFailed(0, offset + limit - 1) })),
    );
    const counts = await Promise.all(QUEUE_NAMES.map((q) => this.queue(q).getFailedCount()));
    const all = perQueue
      .flatMap(({ q, jobs }) => jobs.filter(Boolean).map((j) => toFailedInfo(q, j)))
      .sort((a, b) => (b.finishedOn ?? b.timestamp) - (a.finishedOn ?? a.timestamp));
    return { count: counts.reduce((a, b) => a + b, 0), jobs: all.slice(offset, offset + limit) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.connection.quit().catch(() => undefined);
  }
}

/** Job data: the validated payload plus the id of the request that queued it, if any. */
function withRequestId<T extends object>(data: T, requestId = currentRequestId()): T {
  return requestId ? { ...data, [REQUEST_ID_FIELD]: requestId } : data;
}

function toFailedInfo(queue: TQueueName, job: Job): FailedJobInfo {
  return {
    queue,
    name: job.name,
    id: String(job.id),
    data: job.data,
    failedReason: job.failedReason ?? "",
    attemptsMade: job.attemptsMade,
    timestamp: job.timestamp,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
  };
}
