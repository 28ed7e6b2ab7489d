const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** S3's error document. */
export function presentStorageError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>`;
}

/**
 * S3's CompleteMultipartUploadResult. The dandi CLI finds the ETag by its
 * namespaced tag name, so the S3 xmlns is required.
 */
export function presentCompleteResult(location: string, key: string, etag: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<CompleteMultipartUploadResult xmlns="${S3_NS}">` +
    `<Location>${escapeXml(location)}</Location><Bucket>local</Bucket><Key>${escapeXml(key)}</Key>` +
    `<ETag>${escapeXml(`"${etag}"`)}</ETag></CompleteMultipartUploadResult>`
  );
}
