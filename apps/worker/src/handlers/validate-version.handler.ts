import { validateVersionMetadata } from "@dandi/core";
import type { THandler } from "./handler";

/** Validates one Pending draft against PublishedDandiset (the versions module's rules). */
export const handleValidateVersion: THandler<"validateVersion"> = async ({ versionId }, deps) => {
  const result = await validateVersionMetadata({
    db: deps.prisma,
    schemas: await deps.schemas(),
    config: deps.config,
    versionId,
  });
  return { status: result === "skipped" ? "skipped" : "success", detail: result };
};
