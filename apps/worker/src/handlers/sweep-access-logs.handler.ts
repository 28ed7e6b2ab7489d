import { findNewAccessLogs } from "@dandi/core";
import type { THandler } from "./handler";

/** Lists access-log files not yet counted and queues one job per file. */
export const handleSweepAccessLogs: THandler<"sweepAccessLogs"> = async (_payload, deps) => {
  if (!deps.accessLogs) return { status: "skipped", detail: "ANALYTICS_LOG_BUCKET is not set" };
  const keys = await findNewAccessLogs(deps.prisma, deps.accessLogs);
  await deps.jobs.enqueueMany(
    "processAccessLog",
    keys.map((logKey) => ({ logKey })),
  );
  return { status: "success", detail: { queued: keys.length } };
};
