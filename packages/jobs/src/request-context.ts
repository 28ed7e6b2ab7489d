import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<{ requestId: string }>();

/** The job data field that carries the id of the request (or job) that queued a job. */
export const REQUEST_ID_FIELD = "requestId";

/**
 * Runs `fn` with a request id that every job it queues carries (the API wraps each
 * request; the worker each job, so the jobs a job queues keep the original id).
 */
export function runWithRequestId<T>(requestId: string | undefined, fn: () => T): T {
  return requestId ? storage.run({ requestId }, fn) : fn();
}

/** The request id of the running request or job, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Splits stored job data into the job's own payload and the request id that came with it. */
export function splitJobData(data: unknown): { payload: unknown; requestId?: string } {
  if (data === null || typeof data !== "object" || !(REQUEST_ID_FIELD in data)) return { payload: data };
  const { [REQUEST_ID_FIELD]: requestId, ...payload } = data as Record<string, unknown>;
  return { payload, requestId: typeof requestId === "string" ? requestId : undefined };
}
