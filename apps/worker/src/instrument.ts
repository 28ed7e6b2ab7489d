import * as Sentry from "@sentry/node";
import { sentryNodeOptions, type TConfig } from "@dandi/core";

/**
 * Sentry for a worker process (nothing is sent unless SENTRY_DSN is set); events are scrubbed
 * of credentials and signed URLs. Failed jobs are reported by start-worker.ts.
 */
export function initSentry(config: TConfig): void {
  Sentry.init(sentryNodeOptions(config, `worker:${config.WORKER_QUEUES.join(",")}`));
}

/** Sends the events still queued (a job failure just before SIGTERM); at most 2 s. */
export async function flushSentry(): Promise<void> {
  await Sentry.flush(2000);
}
