import { SchemaCatalog, type TConfig } from "@dandi/core";

/** Loads DANDI's JSON Schemas; imported lazily by `WorkerDeps.schemas()` so Ajv stays out of processes that never validate. */
export function loadSchemaCatalog(config: TConfig): Promise<SchemaCatalog> {
  return SchemaCatalog.load(config);
}
