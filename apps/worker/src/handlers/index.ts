import type { TJobName } from "@dandi/jobs";
import type { THandler } from "./handler";
import { handleComputeBlobSha256 } from "./compute-blob-sha256.handler";
import { handleComputeStats } from "./compute-stats.handler";
import { handleSweepEmbargoes, handleUnembargoDandiset } from "./embargo.handler";
import { handleSendPendingUsersDigest } from "./pending-users-digest.handler";
import { handleProcessAccessLog } from "./process-access-log.handler";
import { handlePublishDandiset } from "./publish-dandiset.handler";
import { handleRegisterDoi } from "./register-doi.handler";
import { handleSweepAccessLogs } from "./sweep-access-logs.handler";
import { handleSweepExpiredUploads } from "./sweep-expired-uploads.handler";
import { handleSweepOrphanedBlobs } from "./sweep-orphaned-blobs.handler";
import { handleSweepValidation } from "./sweep-validation.handler";
import { handleValidateAsset } from "./validate-asset.handler";
import { handleValidateVersion } from "./validate-version.handler";
import { handleWriteManifests } from "./write-manifests.handler";

/** One handler per job definition; the type makes a missing one a compile error. */
export const HANDLERS: { [N in TJobName]: THandler<N> } = {
  computeBlobSha256: handleComputeBlobSha256,
  validateAsset: handleValidateAsset,
  validateVersion: handleValidateVersion,
  publishDandiset: handlePublishDandiset,
  writeManifests: handleWriteManifests,
  registerDoi: handleRegisterDoi,
  computeStats: handleComputeStats,
  sweepValidation: handleSweepValidation,
  sweepExpiredUploads: handleSweepExpiredUploads,
  sweepOrphanedBlobs: handleSweepOrphanedBlobs,
  sweepAccessLogs: handleSweepAccessLogs,
  processAccessLog: handleProcessAccessLog,
  unembargoDandiset: handleUnembargoDandiset,
  sweepEmbargoes: handleSweepEmbargoes,
  sendPendingUsersDigest: handleSendPendingUsersDigest,
};
