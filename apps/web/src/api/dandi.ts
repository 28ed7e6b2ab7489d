/**
 * Typed calls to the archive's endpoints, all through the one client in
 * `client.ts`. Paths follow dandi-api.md §1.
 */
import { apiUrl, request, type TQuery } from "./client";
import type {
  TAssetPath,
  TDandiset,
  TMetadata,
  TOwner,
  TPage,
  TProviders,
  TServerInfo,
  TStats,
  TUpload,
  TUser,
  TVersionInfo,
  TVersionWithDandiset,
} from "./types";

const versionPath = (id: string, version: string) => `/dandisets/${id}/versions/${version}/`;

export const getInfo = () => request<TServerInfo>("/info/");
export const getStats = () => request<TStats>("/stats/");
export const getSchema = (url: string) => request<Record<string, unknown>>(schemaPath(url));

/** `info.schema_url` is absolute; the client wants a path under /api. */
function schemaPath(url: string): string {
  const parsed = new URL(url, "http://placeholder");
  return `${parsed.pathname.replace(/^\/api/, "")}${parsed.search}`;
}

export const listDandisets = (query: TQuery, signal?: AbortSignal) =>
  request<TPage<TDandiset>>("/dandisets/", { query, signal });
export const getDandiset = (id: string) => request<TDandiset>(`/dandisets/${id}/`);
export const createDandiset = (body: { name: string; metadata: TMetadata }, query: TQuery) =>
  request<TDandiset>("/dandisets/", { method: "POST", body, query });
export const listVersions = (id: string, query: TQuery = {}) =>
  request<TPage<TVersionWithDandiset>>(`/dandisets/${id}/versions/`, { query });
export const getVersionInfo = (id: string, version: string) =>
  request<TVersionInfo>(`${versionPath(id, version)}info/`);
export const saveDraftMetadata = (id: string, body: { name: string; metadata: TMetadata }) =>
  request<TVersionInfo>(versionPath(id, "draft"), { method: "PUT", body });
export const publishDraft = (id: string, releaseNotes = "") =>
  request<unknown>(`${versionPath(id, "draft")}publish/`, {
    method: "POST",
    body: releaseNotes ? { release_notes: releaseNotes } : undefined,
  });
export const unembargoDandiset = (id: string) => request<unknown>(`/dandisets/${id}/unembargo/`, { method: "POST" });
/** Stars (POST) or unstars (DELETE) a dandiset for the caller; both are idempotent and return the new total. */
export const setStarred = (id: string, starred: boolean) =>
  request<{ count: number }>(`/dandisets/${id}/star/`, { method: starred ? "POST" : "DELETE" });
export const getOwners = (id: string) => request<TOwner[]>(`/dandisets/${id}/users/`);
export const setOwners = (id: string, usernames: string[]) =>
  request<TOwner[]>(`/dandisets/${id}/users/`, {
    method: "PUT",
    body: usernames.map((username) => ({ username })),
  });
export const listPaths = (id: string, version: string, query: TQuery, signal?: AbortSignal) =>
  request<TPage<TAssetPath>>(`${versionPath(id, version)}assets/paths/`, { query, signal });
/** Removes a file from the draft (owners only; DANDI answers 204). */
export const deleteAsset = (id: string, assetId: string) =>
  request<void>(`${versionPath(id, "draft")}assets/${assetId}/`, { method: "DELETE" });
/** What a path move or delete changed (this archive's extension of DANDI's API). */
export interface TManagedPaths {
  count: number;
  size: number;
}
/** Moves or renames a file or a folder of the draft (one request, one transaction; owners only). */
export const movePaths = (id: string, source: string, destination: string) =>
  request<TManagedPaths>(`${versionPath(id, "draft")}assets/paths/move/`, {
    method: "POST",
    body: { source, destination },
  });
/** Deletes a file or a folder of the draft with everything below it (owners only). */
export const deletePaths = (id: string, path: string) =>
  request<TManagedPaths>(`${versionPath(id, "draft")}assets/paths/delete/`, { method: "POST", body: { path } });
/** The zip of a folder ('' = the whole version), streamed by the API; the browser downloads it directly. */
export const zipDownloadUrl = (id: string, version: string, path: string) =>
  apiUrl(`${versionPath(id, version)}assets/paths/zip/`, { path });
/**
 * Asks the API (HEAD, nothing streamed) whether a folder can be downloaded as a zip: over the
 * size or file-count cap, holding a Zarr, or not readable, it throws the API's reason.
 */
export async function checkZipDownload(id: string, version: string, path: string): Promise<void> {
  let ok = false;
  try {
    const head = await fetch(zipDownloadUrl(id, version, path), { method: "HEAD", credentials: "include" });
    ok = head.ok;
  } catch {
    // Unreachable: the GET below reports it in the client's words.
  }
  // A refused zip answers its reason before any byte of the zip: read it as JSON.
  if (!ok) await request<unknown>(`${versionPath(id, version)}assets/paths/zip/`, { query: { path } });
}
/** Multipart uploads that were started but never completed (owners only). */
export const listUploads = (id: string, query: TQuery = {}) =>
  request<TPage<TUpload>>(`/dandisets/${id}/uploads/`, { query });
export const clearUploads = (id: string) => request<void>(`/dandisets/${id}/uploads/`, { method: "DELETE" });
export const getAssetMetadata = (id: string, version: string, assetId: string) =>
  request<TMetadata>(`${versionPath(id, version)}assets/${assetId}/`);
/** The download route redirects to a presigned URL, so the browser follows it directly. */
export const assetDownloadUrl = (assetId: string) => apiUrl(`/assets/${assetId}/download/`);

export const getMe = () => request<TUser>("/users/me/");
export const searchUsers = (username: string) => request<TUser[]>("/users/search/", { query: { username } });
export const getProviders = () => request<TProviders>("/auth/providers/");
export const signInWithPassword = (email: string, password: string) =>
  request<unknown>("/auth/login/", { method: "POST", body: { email, password } });
export const signOut = () => request<unknown>("/auth/logout/", { method: "POST" });
/** Where the browser goes to sign in with GitHub; `next` is the SPA URL to return to. */
export const githubLoginUrl = (next: string) => apiUrl("/auth/github/login/", { next });
export const regenerateApiKey = () => request<string>("/auth/token/", { method: "POST" });
export const getQuestionnaire = () => request<unknown>("/users/questionnaire/");
export const submitQuestionnaire = (answers: Record<string, string>) =>
  request<unknown>("/users/questionnaire/", { method: "POST", body: answers });

export const adminListUsers = (query: TQuery) => request<TPage<Record<string, unknown>>>("/admin/users/", { query });
export const adminApproveUser = (username: string) =>
  request<unknown>(`/admin/users/${encodeURIComponent(username)}/approve/`, { method: "POST" });
export const adminRejectUser = (username: string, reason: string) =>
  request<unknown>(`/admin/users/${encodeURIComponent(username)}/reject/`, { method: "POST", body: { reason } });
export const adminFailedJobs = (query: TQuery) =>
  request<TPage<Record<string, unknown>> | Record<string, unknown>[]>("/admin/jobs/failed/", { query });
export const adminAudit = (query: TQuery) => request<TPage<Record<string, unknown>>>("/admin/audit/", { query });
export const adminUserDandisets = (username: string, query: TQuery) =>
  request<TPage<TDandiset>>(`/admin/users/${encodeURIComponent(username)}/dandisets/`, { query });
