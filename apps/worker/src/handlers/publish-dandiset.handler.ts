import { publishDandiset } from "@dandi/core";
import type { THandler } from "./handler";

/**
 * Publishes the draft, then queues the manifests and the DOI of the new
 * version. When the publish had already committed (a retry after a crash), the
 * follow-up jobs of the newest version are queued again; both are idempotent.
 */
export const handlePublishDandiset: THandler<"publishDandiset"> = async ({ dandisetId, userId }, deps) => {
  const result = await publishDandiset({
    db: deps.prisma,
    storage: deps.storage,
    config: deps.config,
    dandisetId,
    userId,
    onProgress: (step, assets) => deps.logger.info({ job: "publishDandiset", dandisetId, step, assets }, "publishing"),
  });
  const versionId = result.status === "published" ? result.versionId : result.latestVersionId;
  if (versionId !== null) {
    const version = await deps.prisma.version.findUnique({ where: { id: versionId }, select: { doi: true } });
    if (result.status === "published" || !version?.doi) {
      await deps.jobs.enqueue("writeManifests", { versionId });
      await deps.jobs.enqueue("registerDoi", { versionId });
    }
  }
  return { status: result.status === "published" ? "success" : "skipped", detail: result };
};
