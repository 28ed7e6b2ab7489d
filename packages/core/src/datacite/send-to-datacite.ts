import type { TConfig } from "../config";

export type TDataciteConfig = Pick<TConfig, "DANDI_DOI_API_URL" | "DANDI_DOI_API_USER" | "DANDI_DOI_API_PASSWORD">;

/** Whether DOIs are registered at all: URL, user and password all set. */
export function isDataciteConfigured(config: TDataciteConfig): boolean {
  return !!(config.DANDI_DOI_API_URL && config.DANDI_DOI_API_USER && config.DANDI_DOI_API_PASSWORD);
}

/** A DataCite call that failed: the status (0 when DataCite could not be reached) and a short reason. */
export class DataciteError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "DataciteError";
  }
}

/**
 * Creates a DOI at DataCite, or updates it when it exists already (POST answers 422 "This DOI
 * has already been taken": an earlier attempt got through, or the DOI is a concept DOI that
 * moves to a newer version). Throws DataciteError, whose message names the method, path and
 * status only: DataCite's response body is not kept (it may echo what was sent).
 */
export async function sendToDatacite(config: TDataciteConfig, doi: string, payload: unknown): Promise<void> {
  const auth = Buffer.from(`${config.DANDI_DOI_API_USER}:${config.DANDI_DOI_API_PASSWORD}`).toString("base64");
  const headers = { "Content-Type": "application/vnd.api+json", Authorization: `Basic ${auth}` };
  const body = JSON.stringify(payload);
  const call = async (method: "POST" | "PUT", path: string) => {
    try {
      const res = await fetch(`${config.DANDI_DOI_API_URL}${path}`, { method, headers, body });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (err) {
      throw new DataciteError(`DataCite ${method} ${path} unreachable: ${(err as Error).message}`, 0);
    }
  };
  const created = await call("POST", "/dois");
  if (created >= 200 && created < 300) return;
  if (created === 422) {
    const updated = await call("PUT", `/dois/${doi}`);
    if (updated >= 200 && updated < 300) return;
    throw new DataciteError(`DataCite PUT /dois/${doi} failed: HTTP ${updated}`, updated);
  }
  throw new DataciteError(`DataCite POST /dois failed: HTTP ${created}`, created);
}
