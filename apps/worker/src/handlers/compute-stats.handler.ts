import { computeApplicationStats } from "@dandi/core";
import type { THandler } from "./handler";

/** Inserts an ApplicationStats row (every 6 h, and at start when there is none). */
export const handleComputeStats: THandler<"computeStats"> = async (_payload, deps) => {
  const row = await computeApplicationStats(deps.prisma);
  return { status: "success", detail: { id: row.id } };
};
