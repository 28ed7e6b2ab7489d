import type { TJobName } from "@dandi/jobs";
import type { THandler } from "./handler";

/**
 * One loader per job definition (the type makes a missing one a compile error).
 * Handlers are imported on a job's first run, so a process only loads the code
 * (and the npm packages behind it) of the jobs it actually runs: the
 * `checksum-worker` never loads the JSON Schema validator, the mailer or the
 * manifest writers. The bundle splits each handler into its own chunk.
 */
export const HANDLER_LOADERS: { [N in TJobName]: () => Promise<THandler<N>> } = {
  computeBlobSha256: async () => (await import("./compute-blob-sha256.handler")).handleComputeBlobSha256,
  ingestZarrArchive: async () => (await import("./ingest-zarr-archive.handler")).handleIngestZarrArchive,
  validateAsset: async () => (await import("./validate-asset.handler")).handleValidateAsset,
  validateVersion: async () => (await import("./validate-version.handler")).handleValidateVersion,
  aggregateAssetsSummary: async () => (await import("./aggregate-assets-summary.handler")).handleAggregateAssetsSummary,
  publishDandiset: async () => (await import("./publish-dandiset.handler")).handlePublishDandiset,
  writeManifests: async () => (await import("./write-manifests.handler")).handleWriteManifests,
  registerDoi: async () => (await import("./register-doi.handler")).handleRegisterDoi,
  registerConceptDoi: async () => (await import("./register-concept-doi.handler")).handleRegisterConceptDoi,
  computeStats: async () => (await import("./compute-stats.handler")).handleComputeStats,
  foldSearchBitmaps: async () => (await import("./fold-search-bitmaps.handler")).handleFoldSearchBitmaps,
  sweepValidation: async () => (await import("./sweep-validation.handler")).handleSweepValidation,
  sweepExpiredUploads: async () => (await import("./sweep-expired-uploads.handler")).handleSweepExpiredUploads,
  sweepOrphanedBlobs: async () => (await import("./sweep-orphaned-blobs.handler")).handleSweepOrphanedBlobs,
  reconcileStorage: async () => (await import("./reconcile-storage.handler")).handleReconcileStorage,
  sweepAccessLogs: async () => (await import("./sweep-access-logs.handler")).handleSweepAccessLogs,
  processAccessLog: async () => (await import("./process-access-log.handler")).handleProcessAccessLog,
  unembargoDandiset: async () => (await import("./embargo.handler")).handleUnembargoDandiset,
  sweepEmbargoes: async () => (await import("./embargo.handler")).handleSweepEmbargoes,
  sendPendingUsersDigest: async () => (await import("./pending-users-digest.handler")).handleSendPendingUsersDigest,
  drainJobOutbox: async () => (await import("./drain-job-outbox.handler")).handleDrainJobOutbox,
};

const loaded = new Map<TJobName, Promise<THandler<TJobName>>>();

/** The handler of a job, imported once per process. */
export function loadHandler<N extends TJobName>(name: N): Promise<THandler<N>> {
  let handler = loaded.get(name);
  if (!handler) {
    handler = (HANDLER_LOADERS[name] as () => Promise<THandler<TJobName>>)();
    // A failed import is retried on the next job instead of being cached.
    handler.catch(() => loaded.delete(name));
    loaded.set(name, handler);
  }
  return handler as Promise<THandler<N>>;
}
