import type { TFileDigest } from "./etag";
import type { TEtagWorkerMessage } from "./etag.worker";

/**
 * Hashes a file in a Web Worker (the page stays responsive on a 10 GB file);
 * aborting the signal terminates the worker.
 */
export function hashInWorker(
  file: File,
  onProgress: (bytes: number) => void,
  signal: AbortSignal,
): Promise<TFileDigest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./etag.worker.ts", import.meta.url), { type: "module" });
    const finish = () => {
      worker.terminate();
      signal.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new DOMException("Hashing was stopped.", "AbortError"));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort);
    worker.onmessage = (event: MessageEvent<TEtagWorkerMessage>) => {
      const m = event.data;
      if (m.type === "progress") onProgress(m.bytes);
      else if (m.type === "done") {
        finish();
        onProgress(file.size);
        resolve({ etag: m.etag, partMd5s: m.partMd5s });
      } else {
        finish();
        reject(new Error(`Could not read ${file.name}: ${m.message}`));
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(`Could not read ${file.name}: ${event.message}`));
    };
    worker.postMessage({ file });
  });
}
