import type { Readable } from "node:stream";

/** Size and ETag (without quotes) of a stored object. */
export interface StoredObjectInfo {
  size: number;
  etag: string;
}

export interface PresignGetOptions {
  /** Sets Content-Disposition on the response: attachment (default) or inline, with this file name. */
  filename?: string;
  disposition?: "attachment" | "inline";
  /** Overrides Content-Type on the response (used with inline). */
  contentType?: string;
  /** Seconds; defaults to DOWNLOAD_URL_EXPIRY. */
  expiresIn?: number;
}

/**
 * Where blobs and manifests live. Two implementations: `s3` (AWS S3 or any
 * S3-compatible endpoint, presigned with @aws-sdk/s3-request-presigner) and
 * `local` (files on disk; the API serves its own signed, expiring URLs so that
 * the very same upload/download protocol works without S3).
 */
export interface Storage {
  readonly backend: "s3" | "local";

  /** Starts a multipart upload; returns its UploadId. Embargoed objects are tagged embargoed=true. */
  createMultipartUpload(key: string, options: { embargoed: boolean }): Promise<string>;
  /** A URL for one raw PUT of exactly `contentLength` bytes as part `partNumber`. */
  presignUploadPart(key: string, uploadId: string, partNumber: number, contentLength: number): Promise<string>;
  /** A URL the client POSTs the CompleteMultipartUpload XML body to. */
  presignCompleteMultipartUpload(key: string, uploadId: string): Promise<string>;
  abortMultipartUpload(key: string, uploadId: string): Promise<void>;

  /** Size and ETag, or null when the object does not exist. */
  headObject(key: string): Promise<StoredObjectInfo | null>;
  /** A presigned, expiring GET URL (byte ranges work). */
  presignGet(key: string, options?: PresignGetOptions): Promise<string>;
  /** The unsigned URL of an object (DANDI's contentUrl[1], s3_url). */
  objectUrl(key: string): string;
  /** Streams an object, optionally a byte range [start, end] inclusive. */
  getObjectStream(key: string, range?: { start: number; end?: number }): Promise<Readable>;
  putObject(key: string, body: Buffer | string, options?: { contentType?: string; embargoed?: boolean }): Promise<void>;
  deleteObject(key: string): Promise<void>;
  /** Sets or clears the embargoed=true tag. */
  setEmbargoedTag(key: string, embargoed: boolean): Promise<void>;
}

/** DANDI's blob key scheme: blobs/{uuid[0:3]}/{uuid[3:6]}/{uuid}. */
export function blobKey(uuid: string): string {
  return `blobs/${uuid.slice(0, 3)}/${uuid.slice(3, 6)}/${uuid}`;
}
