import type { FailedJobInfo } from "@dandi/jobs";
import { formatTimestamp } from "../../lib/time";

const at = (ms: number | null) => (ms === null ? null : formatTimestamp(new Date(ms)));

/** One failed job for the admin view (payloads hold ids only, so they are shown). */
export function presentFailedJob(job: FailedJobInfo) {
  return {
    queue: job.queue,
    name: job.name,
    id: job.id,
    data: job.data,
    failed_reason: job.failedReason,
    attempts_made: job.attemptsMade,
    created: at(job.timestamp),
    processed: at(job.processedOn),
    finished: at(job.finishedOn),
  };
}
