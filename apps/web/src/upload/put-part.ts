/**
 * PUTs one part (a slice of the File: the browser streams it from disk) to its
 * presigned URL, with upload progress; resolves with the ETag storage answers
 * (CORS must expose it). XMLHttpRequest, because fetch reports no upload progress.
 */
export function putPart(
  url: string,
  body: Blob,
  onProgress: (sentBytes: number) => void,
  signal: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    xhr.open("PUT", url);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      signal.removeEventListener("abort", onAbort);
      const etag = xhr.getResponseHeader("ETag")?.replace(/"/g, "");
      if (xhr.status >= 200 && xhr.status < 300 && etag) resolve(etag);
      else if (xhr.status >= 200 && xhr.status < 300) {
        reject(new Error("Storage did not expose the part's ETag (check the bucket's CORS rule)."));
      } else reject(new PartError(xhr.status, storageMessage(xhr.responseText) ?? `Storage answered ${xhr.status}.`));
    };
    xhr.onerror = () => {
      signal.removeEventListener("abort", onAbort);
      reject(new PartError(0, "The storage could not be reached."));
    };
    xhr.onabort = () => {
      signal.removeEventListener("abort", onAbort);
      reject(new DOMException("The part upload was stopped.", "AbortError"));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    xhr.send(body);
  });
}

export class PartError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "PartError";
  }
}

/** S3's XML error <Message>, if the body is one. */
export function storageMessage(xml: string): string | null {
  return /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? null;
}
