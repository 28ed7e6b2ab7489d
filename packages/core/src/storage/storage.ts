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

/** One object of a listing, as S3's ListObjectsV2 returns it (ETag without quotes). */
export interface ListedObject {
  key: string;
  lastModified: Date;
  etag: string;
  size: number;
}

export interface ListObjectsOptions {
  /** Only keys after this one (S3's StartAfter). */
  startAfter?: string;
  /** At most this many objects (S3's MaxKeys, 0-1000; default 1000). */
  maxKeys?: number;
}

export interface ListObjectsPage {
  /** Sorted as S3 sorts keys: by their UTF-8 bytes. */
  objects: ListedObject[];
  /** More keys under the prefix follow the last one. */
  isTruncated: boolean;
}

/** A multipart upload that was started and neither completed nor aborted (S3's ListMultipartUploads). */
export interface ListedMultipartUpload {
  key: string;
  uploadId: string;
  /** When it was started. */
  initiated: Date;
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
  /** Every multipart upload in progress whose key starts with `prefix`, oldest first. */
  listMultipartUploads(prefix: string): Promise<ListedMultipartUpload[]>;

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

  /**
   * A URL for one PUT of a whole object (zarr files). The client must send the
   * header `Content-MD5: <contentMd5>` (base64 md5); a body with another md5 is
   * refused (400 BadDigest). Embargoed objects are tagged embargoed=true (on S3
   * the client sends the signed header `x-amz-tagging: embargoed=true`). The
   * stored object's ETag is its md5 hex.
   */
  presignPutObject(key: string, options: { contentMd5: string; embargoed: boolean }): Promise<string>;
  /** A presigned, expiring HEAD URL (zarr file HEAD). */
  presignHead(key: string, options?: { expiresIn?: number }): Promise<string>;
  /** One page of the objects whose key starts with `prefix` (S3's ListObjectsV2). */
  listObjects(prefix: string, options?: ListObjectsOptions): Promise<ListObjectsPage>;
  /** Deletes many objects (missing ones are ignored, as S3 does); any batch size. */
  deleteObjects(keys: string[]): Promise<void>;
}

/** DANDI's blob key scheme: blobs/{uuid[0:3]}/{uuid[3:6]}/{uuid}. */
export function blobKey(uuid: string): string {
  return `blobs/${uuid.slice(0, 3)}/${uuid.slice(3, 6)}/${uuid}`;
}

/** DANDI_ZARR_PREFIX_NAME: the key prefix of every zarr's files. */
export const ZARR_PREFIX_NAME = "zarr";

/** The key prefix of one zarr's files: zarr/{zarr_id}/ (with the trailing slash). */
export function zarrKeyPrefix(zarrId: string): string {
  return `${ZARR_PREFIX_NAME}/${zarrId}/`;
}
