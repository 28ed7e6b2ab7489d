/**
 * The API calls of a browser upload (DANDI's upload protocol, dandi-api.md),
 * through the SPA's one HTTP client.
 */
import { ApiRequestError, request } from "../api/client";
import type { TPage } from "../api/types";
import { storageMessage } from "./put-part";

export interface TUploadParts {
  upload_id: string;
  parts: { part_number: number; size: number; upload_url: string }[];
}
export interface TBlob {
  blob_id: string;
  etag: string;
  sha256: string | null;
  size: number;
}
export interface TAssetItem {
  asset_id: string;
  blob: string | null;
  path: string;
  size: number;
}
export type TAssetStatus = "Pending" | "Validating" | "Valid" | "Invalid";
export interface TAssetValidation {
  status: TAssetStatus;
  validation_errors: { field?: string; message: string }[];
}

const ETAG = "dandi:dandi-etag";
const draftAssets = (dandisetId: string) => `/dandisets/${dandisetId}/versions/draft/assets/`;

/** Starts an upload; `{ exists: true }` when a blob with this etag is already stored (DANDI's 409). */
export async function initializeUpload(
  dandisetId: string,
  size: number,
  etag: string,
): Promise<TUploadParts | { exists: true }> {
  try {
    return await request<TUploadParts>("/uploads/initialize/", {
      method: "POST",
      body: { contentSize: size, digest: { algorithm: ETAG, value: etag }, dandiset: dandisetId },
    });
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 409) return { exists: true };
    throw err;
  }
}

/** Fresh part URLs of an upload that is still open; null when the upload is gone. */
export async function resignParts(uploadId: string): Promise<TUploadParts | null> {
  try {
    return await request<TUploadParts>(`/uploads/${uploadId}/parts/`, { method: "POST" });
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 404) return null;
    throw err;
  }
}

/**
 * complete: the API gives the CompleteMultipartUpload body and its URL; the browser sends it to
 * storage. When the answer cannot be read (a network error, or a storage that sends no CORS
 * headers on this response, as moto_server does) the request may still have been carried out:
 * validate, which checks the stored object, decides.
 */
export async function completeUpload(
  uploadId: string,
  parts: { part_number: number; size: number; etag: string }[],
): Promise<void> {
  const done = await request<{ complete_url: string; body: string }>(`/uploads/${uploadId}/complete/`, {
    method: "POST",
    body: { parts },
  });
  let res: Response;
  try {
    res = await fetch(done.complete_url, { method: "POST", body: done.body });
  } catch {
    return;
  }
  const text = await res.text();
  // S3 can answer 200 with an <Error> body when the completion fails late.
  if (!res.ok || /<Error>/.test(text)) {
    throw new Error(`Storage refused to complete the upload: ${storageMessage(text) ?? res.status}`);
  }
}

/** validate: the blob; a 409 means an identical blob appeared meanwhile, which is then used. */
export async function validateUpload(uploadId: string, etag: string): Promise<TBlob> {
  try {
    return await request<TBlob>(`/uploads/${uploadId}/validate/`, { method: "POST" });
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 409) {
      const blob = await findBlob(etag);
      if (blob) return blob;
    }
    throw err;
  }
}

/** The stored blob with this dandi-etag, or null. */
export async function findBlob(etag: string): Promise<TBlob | null> {
  try {
    return await request<TBlob>("/blobs/digest/", { method: "POST", body: { algorithm: ETAG, value: etag } });
  } catch (err) {
    if (err instanceof ApiRequestError && err.status === 404) return null;
    throw err;
  }
}

/** The draft's asset at exactly this path, or null (`path` filters by prefix unless it names an asset). */
export async function findAssetAtPath(dandisetId: string, path: string): Promise<TAssetItem | null> {
  const page = await request<TPage<TAssetItem>>(draftAssets(dandisetId), { query: { path, page_size: 10 } });
  return page.results.find((a) => a.path === path) ?? null;
}

/** Adds the asset (POST), or replaces the one at its path (PUT on its id: a new asset id, as DANDI does). */
export function saveAsset(
  dandisetId: string,
  blobId: string,
  metadata: Record<string, unknown>,
  replaceAssetId: string | null,
): Promise<TAssetItem> {
  const body = { blob_id: blobId, metadata };
  return replaceAssetId
    ? request<TAssetItem>(`${draftAssets(dandisetId)}${replaceAssetId}/`, { method: "PUT", body })
    : request<TAssetItem>(draftAssets(dandisetId), { method: "POST", body });
}

export const getAssetValidation = (dandisetId: string, assetId: string) =>
  request<TAssetValidation>(`${draftAssets(dandisetId)}${assetId}/validation/`);
