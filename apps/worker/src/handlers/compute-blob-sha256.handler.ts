import { computeBlobSha256 } from "@dandi/core";
import type { THandler } from "./handler";

/** Hashes a new blob, then fans out validation of the Pending assets that were waiting for it. */
export const handleComputeBlobSha256: THandler<"computeBlobSha256"> = async ({ blobId }, deps) => {
  const result = await computeBlobSha256({ db: deps.prisma, storage: deps.storage, blobId: BigInt(blobId) });
  if (result.status === "missing-blob") return { status: "skipped", detail: result };
  if (result.status === "mismatch") {
    deps.logger.error({ blobId, reason: result.reason }, "blob content does not match its row");
    return { status: "failed", detail: result.reason };
  }
  await deps.jobs.enqueueMany(
    "validateAsset",
    result.pendingAssetIds.map((id) => ({ assetId: id.toString() })),
  );
  return { status: "success", detail: { sha256: result.sha256, queued: result.pendingAssetIds.length } };
};
