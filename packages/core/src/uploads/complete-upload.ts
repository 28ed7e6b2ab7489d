import type { Db } from "@dandi/db";
import type { Actor } from "../policies";
import type { Storage } from "../storage/storage";
import { findVisibleUpload } from "./find-visible-upload";

export interface CompleteUploadOptions {
  db: Db;
  storage: Storage;
  actor: Actor;
  uploadId: string;
  parts: { partNumber: number; size: number; etag: string }[];
}

function escapeXml(s: string): string {
  return s.replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]!);
}

/**
 * DANDI's upload complete: the CompleteMultipartUpload XML body (parts sorted
 * by number) and a presigned URL the client POSTs it to. The server does not
 * talk to storage here: completing can take minutes for large objects.
 */
export async function completeUpload(options: CompleteUploadOptions): Promise<{ completeUrl: string; body: string }> {
  const { db, storage, actor, uploadId, parts } = options;
  const upload = await findVisibleUpload({ db, actor, uploadId });
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const body =
    '<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    sorted
      .map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`)
      .join("") +
    "</CompleteMultipartUpload>";
  const completeUrl = await storage.presignCompleteMultipartUpload(upload.key, upload.multipartUploadId);
  return { completeUrl, body };
}
