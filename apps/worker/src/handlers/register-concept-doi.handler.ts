import { registerConceptDoi } from "@dandi/core";
import { JOBS } from "@dandi/jobs";
import type { THandler } from "./handler";

/** Registers (or moves to the newest version) a dandiset's concept DOI; throws while DataCite fails. */
export const handleRegisterConceptDoi: THandler<"registerConceptDoi"> = async ({ dandisetId }, deps) => {
  const result = await registerConceptDoi({
    db: deps.prisma,
    config: deps.config,
    dandisetId,
    maxAttempts: JOBS.registerConceptDoi.options.attempts ?? 1,
  });
  return { status: result.status === "skipped" ? "skipped" : "success", detail: result };
};
