import type { Dandiset, EmbargoStatus } from "@dandi/db";
import type { TConfig } from "../config";
import { formatPythonIsoformat } from "./format-python-isoformat";
import { isPlainObject, type TMetadata } from "./strip-version-metadata";

export interface PopulateVersionMetadataOptions {
  /** The stored metadata (user metadata plus whatever was computed before). */
  metadata: TMetadata;
  name: string;
  /** "draft" or "0.YYMMDD.HHMM". */
  version: string;
  doi?: string | null;
  dandiset: Pick<Dandiset, "id" | "created" | "embargoEndDate"> & { embargoStatus: EmbargoStatus };
  config: Pick<TConfig, "DANDI_INSTANCE_NAME" | "DANDI_WEB_APP_URL" | "DANDI_API_URL">;
  /** The unsigned URL of a storage key; needed for published versions' manifestLocation. */
  objectUrl?: (key: string) => string;
  /** Defaults to now; only the year is used (citation). */
  now?: Date;
}

/** "000123" */
export function formatDandisetIdentifier(id: number): string {
  return String(id).padStart(6, "0");
}

/** YYYY-MM-DD of a DATE column (stored at UTC midnight). */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * DANDI's Version._populate_metadata, run on every save of a version: fills in
 * the computed keys (@context, manifestLocation, name, identifier, version, id,
 * repository, url, dateCreated, access[0], assetsSummary default, doi, citation).
 * Pure; returns a new object.
 */
export function populateVersionMetadata(options: PopulateVersionMetadataOptions): TMetadata {
  const { metadata, name, version, doi, dandiset, config } = options;
  const identifier = formatDandisetIdentifier(dandiset.id);
  const instance = config.DANDI_INSTANCE_NAME;
  const populated: TMetadata = {
    ...metadata,
    "@context": `https://raw.githubusercontent.com/dandi/schema/master/releases/${String(metadata.schemaVersion)}/context.json`,
    manifestLocation: manifestLocation(options, identifier),
    name,
    identifier: `${instance}:${identifier}`,
    version,
    id: `${instance}:${identifier}/${version}`,
    repository: config.DANDI_WEB_APP_URL,
    url: `${config.DANDI_WEB_APP_URL}/dandiset/${identifier}/${version}`,
    dateCreated: formatPythonIsoformat(dandiset.created),
    access: populateAccess(metadata.access, dandiset),
  };
  if (!("assetsSummary" in populated)) {
    populated.assetsSummary = { schemaKey: "AssetsSummary", numberOfBytes: 0, numberOfFiles: 0 };
  }
  if (doi) populated.doi = doi;
  populated.citation = formatCitation(populated, options.now ?? new Date());
  return populated;
}

function manifestLocation(options: PopulateVersionMetadataOptions, identifier: string): string[] {
  if (options.version === "draft") {
    return [`${options.config.DANDI_API_URL}/api/dandisets/${identifier}/versions/draft/assets/`];
  }
  const key = `dandisets/${identifier}/${options.version}/assets.yaml`;
  if (!options.objectUrl) throw new Error("populateVersionMetadata needs objectUrl for a published version");
  return [options.objectUrl(key)];
}

function populateAccess(
  access: unknown,
  dandiset: PopulateVersionMetadataOptions["dandiset"],
): Record<string, unknown>[] {
  const items = Array.isArray(access) ? access.filter(isPlainObject) : [];
  const list: Record<string, unknown>[] = items.length > 0 ? [...items] : [{}];
  // Embargoed here means not OPEN: UNEMBARGOING data is still under embargo.
  const first: Record<string, unknown> = {
    ...list[0],
    schemaKey: "AccessRequirements",
    status: dandiset.embargoStatus === "OPEN" ? "dandi:OpenAccess" : "dandi:EmbargoedAccess",
  };
  if (dandiset.embargoEndDate) first.embargoedUntil = formatDate(dandiset.embargoEndDate);
  list[0] = first;
  return list;
}

/** DANDI's Version.citation. */
export function formatCitation(metadata: TMetadata, now: Date): string {
  const year = now.getUTCFullYear();
  const name = String(metadata.name ?? "").replace(/\.+$/, "");
  const url = metadata.doi ? `https://doi.org/${String(metadata.doi)}` : String(metadata.url);
  const version = String(metadata.version);
  const contributors = Array.isArray(metadata.contributor) ? metadata.contributor : [];
  const names = contributors
    .filter((c): c is Record<string, unknown> => isPlainObject(c) && !!c.includeInCitation)
    .map((c) => String(c.name));
  const list = names.join("; ");
  if (list) return `${list} (${year}) ${name} (Version ${version}) [Data set]. DANDI Archive. ${url}`;
  return `${name} (${year}). (Version ${version}) [Data set]. DANDI Archive. ${url}`;
}
