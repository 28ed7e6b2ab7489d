import type { TDandisetView, TVersionSummary } from "@dandi/core";
import { formatDandisetIdentifier } from "@dandi/core";
import type { Upload, User } from "@dandi/db";
import type { Page } from "../../lib/pagination";
import { formatTimestamp } from "../../lib/time";

/** DandisetVersionSerializer: a version inside a DandisetList item. */
export function presentListVersion(v: TVersionSummary | null) {
  if (!v) return null;
  return {
    version: v.version,
    name: v.name,
    asset_count: v.assetCount,
    size: v.size,
    status: v.status,
    created: formatTimestamp(v.created),
    modified: formatTimestamp(v.modified),
  };
}

type TVersionFields = Pick<
  TVersionSummary,
  "version" | "name" | "assetCount" | "size" | "status" | "created" | "modified"
>;

/** The fields every VersionSerializer shape shares (child versions and the versions list). */
export function presentVersionFields(v: TVersionFields, activeUploads: number) {
  return {
    version: v.version,
    name: v.name,
    asset_count: v.assetCount,
    active_uploads: v.version === "draft" ? activeUploads : 0,
    size: v.size,
    status: v.status,
    created: formatTimestamp(v.created),
    modified: formatTimestamp(v.modified),
  };
}

/** VersionSerializer(child_context): a version inside a DandisetDetail. */
export function presentChildVersion(v: TVersionSummary | null, activeUploads: number) {
  if (!v) return null;
  return { ...presentVersionFields(v, activeUploads), release_notes: v.releaseNotes };
}

/** DandisetSerializer: the fields shared by every dandiset shape. */
export function presentDandisetBase(d: TDandisetView) {
  return {
    identifier: formatDandisetIdentifier(d.id),
    created: formatTimestamp(d.created),
    modified: formatTimestamp(d.modified),
    contact_person: d.contactPerson,
    embargo_status: d.embargoStatus,
    star_count: d.starCount,
    is_starred: d.isStarred,
  };
}

/** A DandisetList item (list endpoints). */
export function presentDandisetListItem(d: TDandisetView) {
  return {
    ...presentDandisetBase(d),
    most_recent_published_version: presentListVersion(d.publishedVersion),
    draft_version: presentListVersion(d.draftVersion),
  };
}

/**
 * The list page as JSON text: the {count, next, previous} envelope around
 * `resultsJson`, the page's DandisetList items already rendered by
 * listDandisetsJson (the same fields and key order as presentDandisetListItem).
 */
export function presentDandisetListPage(page: Page<never>, resultsJson: string): string {
  const envelope = JSON.stringify({ count: page.count, next: page.next, previous: page.previous });
  return `${envelope.slice(0, -1)},"results":[${resultsJson}]}`;
}

/**
 * The dandiset's concept DOI (one DOI for all versions, resolving to the newest) and its
 * registration state at DataCite; an addition to DANDI's shape (clients ignore unknown keys).
 */
export function presentConceptDoi(c: TDandisetView["conceptDoi"]) {
  if (!c) return null;
  return {
    doi: c.doi,
    status: c.status,
    version: c.version,
    attempts: c.attempts,
    last_error: c.lastError,
    modified: c.updated ? formatTimestamp(c.updated) : null,
  };
}

/** DandisetDetail (retrieve and create). */
export function presentDandisetDetail(d: TDandisetView, activeUploads: number) {
  return {
    ...presentDandisetBase(d),
    most_recent_published_version: presentChildVersion(d.publishedVersion, activeUploads),
    draft_version: presentChildVersion(d.draftVersion, activeUploads),
    concept_doi: presentConceptDoi(d.conceptDoi),
  };
}

/**
 * An owner: GitHub login and name when known; the e-mail only for the
 * dandiset's owners and admins (DANDI shows it to any signed-in caller).
 */
export function presentOwner(user: User, showEmail: boolean) {
  return {
    username: user.githubLogin ?? user.username,
    name: user.githubLogin ? user.githubName : `${user.firstName} ${user.lastName}`,
    email: showEmail ? user.email : null,
  };
}

/** DandisetUploadSerializer. */
export function presentUpload(u: Upload) {
  return { created: formatTimestamp(u.created), blob: u.key, upload_id: u.uploadId, etag: u.etag, size: u.size };
}
