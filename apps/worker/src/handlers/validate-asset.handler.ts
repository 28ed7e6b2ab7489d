import { validateAssetMetadata } from "@dandi/core";
import type { THandler } from "./handler";

/** Validates one asset against PublishedAsset. */
export const handleValidateAsset: THandler<"validateAsset"> = async ({ assetId }, deps) => {
  const result = await validateAssetMetadata({
    db: deps.prisma,
    schemas: await deps.schemas(),
    storage: deps.storage,
    config: deps.config,
    assetId: BigInt(assetId),
  });
  return { status: result === "Valid" || result === "Invalid" ? "success" : "skipped", detail: result };
};
