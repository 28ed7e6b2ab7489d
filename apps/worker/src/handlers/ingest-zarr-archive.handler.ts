import { ingestZarrArchive } from "@dandi/core";
import type { THandler } from "./handler";

/**
 * DANDI's ingest_zarr_archive: checksums a finalized zarr and sets it Complete,
 * then queues validation of its assets (Pending again) and of the draft.
 * Storage or database errors throw, and the retry claims the zarr again.
 */
export const handleIngestZarrArchive: THandler<"ingestZarrArchive"> = async ({ zarrId }, deps) => {
  const result = await ingestZarrArchive({ db: deps.prisma, storage: deps.storage, zarrId });
  if (result.status !== "complete") return { status: "skipped", detail: result };
  await deps.jobs.enqueueMany(
    "validateAsset",
    result.pendingAssetIds.map((id) => ({ assetId: id.toString() })),
  );
  if (result.draftVersionId !== null) {
    await deps.jobs.enqueue("validateVersion", { versionId: result.draftVersionId });
    await deps.jobs.enqueue("aggregateAssetsSummary", { versionId: result.draftVersionId });
  }
  const { checksum, fileCount, size } = result;
  return { status: "success", detail: { checksum, fileCount, size, assets: result.pendingAssetIds.length } };
};
