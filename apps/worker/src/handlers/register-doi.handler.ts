import { registerVersionDoi } from "@dandi/core";
import type { THandler } from "./handler";

/** Registers a published version's DOI at DataCite (when configured) and stores it. */
export const handleRegisterDoi: THandler<"registerDoi"> = async ({ versionId }, deps) => {
  const result = await registerVersionDoi({ db: deps.prisma, storage: deps.storage, config: deps.config, versionId });
  return { status: result.status === "skipped" ? "skipped" : "success", detail: result };
};
