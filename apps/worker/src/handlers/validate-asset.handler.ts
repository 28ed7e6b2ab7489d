import { findAssetDraftVersionIds, validateAssetMetadata } from "@dandi/core";
import type { THandler } from "./handler";

/**
 * Validates one asset against PublishedAsset. An asset that became Valid now
 * counts in its drafts' assetsSummary (which aggregates Valid assets only), so
 * their summaries are queued (a summary already queued for a draft is a no-op).
 */
export const handleValidateAsset: THandler<"validateAsset"> = async ({ assetId }, deps) => {
  const result = await validateAssetMetadata({
    db: deps.prisma,
    schemas: await deps.schemas(),
    storage: deps.storage,
    config: deps.config,
    assetId: BigInt(assetId),
  });
  if (result === "Valid") {
    const versionIds = await findAssetDraftVersionIds(deps.prisma, BigInt(assetId));
    await deps.jobs.enqueueMany(
      "aggregateAssetsSummary",
      versionIds.map((versionId) => ({ versionId })),
    );
  }
  return { status: result === "Valid" || result === "Invalid" ? "success" : "skipped", detail: result };
};
