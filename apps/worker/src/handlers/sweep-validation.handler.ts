import { sweepValidation } from "@dandi/core";
import type { THandler } from "./handler";

/**
 * Every DANDI_VALIDATION_JOB_INTERVAL: one validation job per Pending draft and
 * per Pending asset whose blob has a SHA-256 (fixed job ids make repeats no-ops),
 * plus the draft's assetsSummary and manifests, as DANDI does. (The summary is
 * also queued right after each asset change; this catches one whose job was
 * still running when the change came, since a queued-or-running id is a no-op.)
 */
export const handleSweepValidation: THandler<"sweepValidation"> = async (_payload, deps) => {
  const found = await sweepValidation({
    db: deps.prisma,
    // An asset validation takes well under a second; ten intervals (at least 10 minutes) means its worker died.
    stuckAfterSeconds: Math.max(600, deps.config.DANDI_VALIDATION_JOB_INTERVAL * 10),
  });
  await deps.jobs.enqueueMany(
    "validateVersion",
    found.versionIds.map((versionId) => ({ versionId })),
  );
  await deps.jobs.enqueueMany(
    "aggregateAssetsSummary",
    found.versionIds.map((versionId) => ({ versionId })),
  );
  await deps.jobs.enqueueMany(
    "writeManifests",
    found.versionIds.map((versionId) => ({ versionId })),
  );
  await deps.jobs.enqueueMany(
    "validateAsset",
    found.assetIds.map((id) => ({ assetId: id.toString() })),
  );
  // A blob whose checksum job is still queued, running or failed (kept for admins) keeps its job id: a no-op.
  await deps.jobs.enqueueMany(
    "computeBlobSha256",
    found.unhashedBlobIds.map((id) => ({ blobId: id.toString() })),
  );
  // Claimed by status, so a zarr whose lost job turns up after all is ingested once.
  await deps.jobs.enqueueMany(
    "ingestZarrArchive",
    found.uningestedZarrIds.map((zarrId) => ({ zarrId })),
  );
  return {
    status: "success",
    detail: {
      versions: found.versionIds.length,
      assets: found.assetIds.length,
      blobs: found.unhashedBlobIds.length,
      zarrs: found.uningestedZarrIds.length,
      requeued: found.requeued,
    },
  };
};
