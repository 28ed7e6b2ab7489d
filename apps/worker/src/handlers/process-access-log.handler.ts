import { processAccessLog } from "@dandi/core";
import type { THandler } from "./handler";

/** Adds one access-log file's blob downloads to the counts (once per file). */
export const handleProcessAccessLog: THandler<"processAccessLog"> = async ({ logKey }, deps) => {
  if (!deps.accessLogs) return { status: "skipped", detail: "ANALYTICS_LOG_BUCKET is not set" };
  const result = await processAccessLog({ db: deps.prisma, source: deps.accessLogs, logKey });
  return { status: result.status === "counted" ? "success" : "skipped", detail: result };
};
