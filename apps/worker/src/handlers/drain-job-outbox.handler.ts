import { drainOutbox, findStalePublishingDrafts } from "@dandi/core";
import type { THandler } from "./handler";

/** A draft Publishing longer than this, with no job in the outbox, gets its publish job again. */
const STALE_PUBLISHING_SECONDS = 300;
/** BullMQ states of a job that will still run. */
const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);

/**
 * The outbox sweep: queues every job that a committed state change left in the outbox (an API
 * process that could not reach Redis after its commit, or died in between), then re-queues the
 * publish of drafts stuck Publishing whose job is neither in the outbox nor live in BullMQ
 * (lost with Redis's data, or failed for good), as the original user when the failed job is
 * still there, else as an owner. Deterministic job ids make a second queueing a no-op.
 */
export const handleDrainJobOutbox: THandler<"drainJobOutbox"> = async (_payload, deps) => {
  let queued = 0;
  for (;;) {
    const result = await drainOutbox({ db: deps.prisma, jobs: deps.jobs, limit: 500 });
    // The whole drain failed (database or Redis away): the rows stay, the next sweep retries.
    if (result.error && result.queued === 0 && result.failed === 0) throw new Error(result.error);
    queued += result.queued;
    if (result.queued < 500) break;
  }
  const stale = await findStalePublishingDrafts(deps.prisma, STALE_PUBLISHING_SECONDS);
  let republished = 0;
  for (const draft of stale) {
    const job = await deps.jobs.queue("default").getJob(`publish-${draft.dandisetId}`);
    if (job && LIVE_STATES.has(await job.getState())) continue;
    const userId = (job?.data as { userId?: unknown } | undefined)?.userId;
    const asUser = typeof userId === "number" ? userId : draft.ownerId;
    if (asUser === null) {
      deps.logger.warn({ dandisetId: draft.dandisetId }, "draft stuck Publishing has no owner to publish as");
      continue;
    }
    await deps.jobs.enqueue("publishDandiset", { dandisetId: draft.dandisetId, userId: asUser });
    republished += 1;
  }
  if (queued > 0 || republished > 0) deps.logger.info({ queued, republished }, "job outbox drained");
  return { status: "success", detail: { queued, republished } };
};
