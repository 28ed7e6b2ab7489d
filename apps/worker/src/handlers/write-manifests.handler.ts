import { writeManifestFiles } from "@dandi/core";
import type { THandler } from "./handler";

/** Assets between two progress lines in the log. */
const PROGRESS_EVERY = 20_000;

/** Writes a version's manifest files to storage, logging its progress. */
export const handleWriteManifests: THandler<"writeManifests"> = async ({ versionId }, deps) => {
  let logged = 0;
  const result = await writeManifestFiles({
    db: deps.prisma,
    storage: deps.storage,
    config: deps.config,
    versionId,
    onProgress: (assets) => {
      if (assets - logged < PROGRESS_EVERY) return;
      logged = assets;
      deps.logger.info({ job: "writeManifests", versionId, assets }, "writing manifests");
    },
  });
  return result ? { status: "success", detail: result } : { status: "skipped", detail: "version is gone" };
};
