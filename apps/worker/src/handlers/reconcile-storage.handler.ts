import { reconcileStorage } from "@dandi/core";
import type { THandler } from "./handler";

/** Aborts multipart uploads and deletes blob objects that no row references, after the grace period. */
export const handleReconcileStorage: THandler<"reconcileStorage"> = async (_payload, deps) => {
  const report = await reconcileStorage({
    db: deps.prisma,
    storage: deps.storage,
    graceSeconds: deps.config.BLOB_GC_GRACE_SECONDS,
  });
  const removed = report.multipartUploads.length + report.objects.length;
  if (removed) {
    deps.logger.info(
      { multipartUploads: report.multipartUploads.length, objects: report.objects.length },
      "storage reconciliation removed unreferenced uploads and objects",
    );
  }
  return {
    status: "success",
    detail: {
      multipartUploads: report.multipartUploads.length,
      objects: report.objects.length,
      kept: report.keptYoung,
    },
  };
};
