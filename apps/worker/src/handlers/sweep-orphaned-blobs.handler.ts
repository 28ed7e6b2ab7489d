import { deleteOrphanedBlobs } from "@dandi/core";
import type { THandler } from "./handler";

/** Deletes blobs that no asset references once the grace period has passed. */
export const handleSweepOrphanedBlobs: THandler<"sweepOrphanedBlobs"> = async (_payload, deps) => {
  const deleted = await deleteOrphanedBlobs({
    db: deps.prisma,
    storage: deps.storage,
    graceSeconds: deps.config.BLOB_GC_GRACE_SECONDS,
  });
  if (deleted.length) deps.logger.info({ deleted }, "deleted orphaned blobs");
  return { status: "success", detail: { deleted: deleted.length } };
};
