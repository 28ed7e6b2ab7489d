import { deleteExpiredUploads } from "@dandi/core";
import type { THandler } from "./handler";

/** Aborts and deletes uploads whose presigned URLs have expired. */
export const handleSweepExpiredUploads: THandler<"sweepExpiredUploads"> = async (_payload, deps) => {
  const removed = await deleteExpiredUploads({
    db: deps.prisma,
    storage: deps.storage,
    olderThanSeconds: deps.config.UPLOAD_URL_EXPIRY,
  });
  return { status: "success", detail: { removed } };
};
