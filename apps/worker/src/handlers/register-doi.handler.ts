import { registerVersionDoi } from "@dandi/core";
import type { THandler } from "./handler";

/**
 * Registers a published version's DOI at DataCite (when configured) and stores it, then
 * queues the dandiset's concept DOI, which moves to this version.
 */
export const handleRegisterDoi: THandler<"registerDoi"> = async ({ versionId }, deps) => {
  const result = await registerVersionDoi({ db: deps.prisma, storage: deps.storage, config: deps.config, versionId });
  if (result.status !== "skipped") {
    const version = await deps.prisma.version.findUnique({ where: { id: versionId }, select: { dandisetId: true } });
    if (version) await deps.jobs.enqueue("registerConceptDoi", { dandisetId: version.dandisetId });
  }
  return { status: result.status === "skipped" ? "skipped" : "success", detail: result };
};
