import { createStorage, reconcileStorage } from "@dandi/core";
import type { ManageCommand } from "./manage-command";

/**
 * The storage reconciliation sweep (the worker runs it daily): aborts the
 * multipart uploads and deletes the objects under blobs/ that no upload or blob
 * row references, once older than BLOB_GC_GRACE_SECONDS. `--dry-run` lists them
 * and removes nothing. Prints one line per item and a summary line.
 */
export const reconcileStorageCommand: ManageCommand = {
  summary: "Remove multipart uploads and blob objects nothing references (older than BLOB_GC_GRACE_SECONDS)",
  usage: "[--dry-run]",
  options: { "dry-run": { type: "boolean" } },
  async run(values, { config, prisma, print }) {
    const dryRun = values["dry-run"] === true;
    const report = await reconcileStorage({
      db: prisma,
      storage: createStorage(config),
      graceSeconds: config.BLOB_GC_GRACE_SECONDS,
      dryRun,
    });
    const verb = dryRun ? "would " : "";
    for (const u of report.multipartUploads) {
      print(`${verb}abort multipart upload ${u.uploadId} of ${u.key} (started ${u.initiated})`);
    }
    for (const o of report.objects) print(`${verb}delete ${o.key} (${o.size} bytes, written ${o.lastModified})`);
    print(
      `${dryRun ? "Dry run: " : ""}${report.multipartUploads.length} multipart uploads ${dryRun ? "to abort" : "aborted"}, ` +
        `${report.objects.length} objects ${dryRun ? "to delete" : "deleted"}, ` +
        `${report.keptYoung} unreferenced but younger than the grace period kept`,
    );
  },
};
