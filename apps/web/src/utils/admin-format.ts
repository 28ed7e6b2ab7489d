/** Readable forms of the admin API's records (users, questionnaire answers, audit records). */

export const USER_STATUSES = ["PENDING", "APPROVED", "REJECTED", "INCOMPLETE"] as const;

/** Every audit record type the API writes (packages/core/src/audit.ts TAuditRecordType). */
export const AUDIT_RECORD_TYPES = [
  "create_dandiset",
  "update_metadata",
  "add_asset",
  "update_asset",
  "remove_asset",
  "change_owners",
  "publish_dandiset",
  "unembargo_dandiset",
  "delete_dandiset",
  "create_zarr",
  "upload_zarr_chunks",
  "delete_zarr_chunks",
  "finalize_zarr",
  "change_user_status",
] as const;

/** PrimeVue Tag severities per approval status. */
export function statusSeverity(status: string): "success" | "warn" | "danger" | "secondary" {
  return status === "APPROVED"
    ? "success"
    : status === "PENDING"
      ? "warn"
      : status === "REJECTED"
        ? "danger"
        : "secondary";
}

/** "publish_dandiset" → "publish dandiset". */
export function humanizeRecordType(type: string): string {
  return type.replaceAll("_", " ");
}

const QUESTION_LABELS: Record<string, string> = {
  affiliations: "Affiliation",
  website: "Website",
  usage: "Use of the archive",
  heard_about: "Heard about it from",
};

/** The questionnaire's non-empty answers (names excepted: they are the user's name), labelled. */
export function questionnaireSummary(answers: unknown): { label: string; value: string }[] {
  if (!answers || typeof answers !== "object") return [];
  return Object.entries(QUESTION_LABELS)
    .map(([key, label]) => ({ label, value: String((answers as Record<string, unknown>)[key] ?? "").trim() }))
    .filter((line) => line.value !== "");
}

/** One line about an audit record: its description, else the interesting fields of its details. */
export function auditDetails(row: Record<string, unknown>): string {
  const details = (row.details ?? {}) as Record<string, unknown>;
  const described = typeof row.description === "string" ? row.description.trim() : "";
  const parts: string[] = [];
  if (typeof details.path === "string") parts.push(details.path);
  else if (details.asset && typeof (details.asset as Record<string, unknown>).path === "string") {
    parts.push(String((details.asset as Record<string, unknown>).path));
  }
  if (typeof details.version === "string") parts.push(`version ${details.version}`);
  if (typeof details.from === "string" && typeof details.to === "string") parts.push(`${details.from} → ${details.to}`);
  if (typeof details.reason === "string" && details.reason) parts.push(`reason: ${details.reason}`);
  if (Array.isArray(details.added_owners) && details.added_owners.length)
    parts.push(`added ${details.added_owners.length} owner(s)`);
  if (Array.isArray(details.removed_owners) && details.removed_owners.length) {
    parts.push(`removed ${details.removed_owners.length} owner(s)`);
  }
  if (details.embargoed === true) parts.push("embargoed");
  return [described, parts.join(", ")].filter(Boolean).join(" — ") || "—";
}
