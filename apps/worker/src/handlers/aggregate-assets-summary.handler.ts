import { updateDraftAssetsSummary } from "@dandi/core";
import type { THandler } from "./handler";

/** Recomputes a draft's assetsSummary; a draft changed meanwhile is retried (with backoff) by throwing. */
export const handleAggregateAssetsSummary: THandler<"aggregateAssetsSummary"> = async ({ versionId }, deps) => {
  const result = await updateDraftAssetsSummary(deps.prisma, versionId);
  if (result.status === "conflict")
    throw new Error(`draft version ${versionId} changed while its summary was computed`);
  return { status: result.status === "updated" ? "success" : "skipped", detail: result };
};
