const UNITS = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

/** SI file size as DANDI shows it (1 kB = 1000 B). */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A short, locale-independent date (YYYY-MM-DD) for ISO timestamps. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : date.toISOString().slice(0, 10);
}

/** Counts with a thousands separator. */
export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toLocaleString("en-US");
}

/** The public DANDI Archive's API: the only server the CLI reaches by the `DANDI:` prefix. */
const PUBLIC_DANDI_API = "https://api.dandiarchive.org";

/**
 * The exact CLI command that downloads a dandiset (optionally one version). The CLI
 * resolves `DANDI:<id>` to the public DANDI Archive only, so any other deployment
 * gets the API URL form, which the CLI resolves through this server's /server-info.
 */
export function downloadCommand(identifier: string, version?: string, apiUrl = PUBLIC_DANDI_API): string {
  const api = apiUrl.replace(/\/+$/, "");
  if (api === PUBLIC_DANDI_API) {
    return `dandi download DANDI:${identifier}${version && version !== "draft" ? `/${version}` : ""}`;
  }
  return `dandi download ${api}/api/dandisets/${identifier}/versions/${version || "draft"}/`;
}

/**
 * The CLI session that fills an empty draft, as DANDI's file browser shows it:
 * download the draft's folder, organize NWB files into it, upload. Outside the
 * public archive, `upload` names this server by URL (`-i`), which the CLI resolves
 * through /server-info.
 */
export function uploadCommands(identifier: string, apiUrl = PUBLIC_DANDI_API): string[] {
  const api = apiUrl.replace(/\/+$/, "");
  const isPublic = api === PUBLIC_DANDI_API;
  return [
    // `DANDI:<id>` would pick the latest published version; the upload goes into the draft.
    isPublic
      ? `dandi download https://dandiarchive.org/dandiset/${identifier}/draft`
      : downloadCommand(identifier, "draft", api),
    `cd ${identifier}`,
    "dandi organize <source_folder> -f dry",
    "dandi organize <source_folder>",
    isPublic ? "dandi upload" : `dandi upload -i ${api}`,
  ];
}

/** A date and time to the minute in UTC (2026-12-02 02:31 UTC), for admin tables. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
