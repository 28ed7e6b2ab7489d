import { writeManifestFiles } from "@dandi/core";
import type { THandler } from "./handler";

/** Writes a version's manifest files to storage. */
export const handleWriteManifests: THandler<"writeManifests"> = async ({ versionId }, deps) => {
  const result = await writeManifestFiles({ db: deps.prisma, storage: deps.storage, config: deps.config, versionId });
  return result ? { status: "success", detail: result } : { status: "skipped", detail: "version is gone" };
};
