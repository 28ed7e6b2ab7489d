import type { Redis } from "ioredis";

/** Redis (the job queues) cannot be reached now: the API answers 503, the outbox keeps the work. */
export class QueueUnavailableError extends Error {
  constructor(message = "The job queue is unavailable (Redis unreachable)") {
    super(message);
    this.name = "QueueUnavailableError";
  }
}

/** How long a queue command may take before the caller gives up (the outbox keeps the work). */
export const QUEUE_COMMAND_TIMEOUT_MS = 5_000;

/**
 * Runs a queue operation only if the connection is up, within `timeoutMs`: enqueueing while
 * Redis is down must fail fast instead of waiting for a reconnect (BullMQ waits for the first
 * `ready` forever). Commands issued during a drop fail at once too (the connection has no offline
 * queue and one retry per request, see `createRedisConnection`).
 */
export async function whenQueueAvailable<T>(
  connection: Redis,
  run: () => Promise<T>,
  timeoutMs = QUEUE_COMMAND_TIMEOUT_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError("The job queue did not answer in time")), timeoutMs);
  });
  try {
    await Promise.race([untilReady(connection), timeout]);
    return await Promise.race([run(), timeout]);
  } catch (err) {
    if (err instanceof QueueUnavailableError) throw err;
    // A dropped connection mid-command (ioredis: "Connection is closed", MaxRetriesPerRequestError, ...).
    if (connection.status !== "ready" || isConnectionError(err)) {
      throw new QueueUnavailableError(`The job queue is unavailable (${(err as Error).message})`);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Resolves once the connection is ready: at once when it is, after the connect attempt under way
 * when it is (re)connecting right now (a fresh process), with QueueUnavailableError when that
 * attempt fails or Redis is known to be down (waiting between reconnects, or closed).
 */
function untilReady(connection: Redis): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  if (!["wait", "connecting", "connect"].includes(connection.status)) {
    return Promise.reject(new QueueUnavailableError());
  }
  return new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      connection.off("ready", onReady);
      connection.off("close", onClose);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onClose = () => done(new QueueUnavailableError());
    connection.once("ready", onReady);
    connection.once("close", onClose);
  });
}

function isConnectionError(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string } | null;
  return (
    e?.name === "MaxRetriesPerRequestError" ||
    /Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(e?.message ?? "") ||
    ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"].includes(e?.code ?? "")
  );
}
