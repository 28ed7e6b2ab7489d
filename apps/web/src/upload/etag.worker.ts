/// <reference lib="webworker" />
import { hashBlob } from "./etag";

/** Messages from the hashing worker: progress (bytes hashed), the result, or an error. */
export type TEtagWorkerMessage =
  | { type: "progress"; bytes: number }
  | { type: "done"; etag: string; partMd5s: string[] }
  | { type: "error"; message: string };

declare const self: DedicatedWorkerGlobalScope;

/** Hashes one File (posted by `hashInWorker`) off the main thread. */
self.onmessage = async (event: MessageEvent<{ file: File }>) => {
  const post = (m: TEtagWorkerMessage) => self.postMessage(m);
  let last = 0;
  try {
    const { etag, partMd5s } = await hashBlob(event.data.file, (bytes) => {
      // At most ~20 progress messages a second are useful to a progress bar.
      const now = Date.now();
      if (now - last > 50) {
        last = now;
        post({ type: "progress", bytes });
      }
    });
    post({ type: "done", etag, partMd5s });
  } catch (err) {
    post({ type: "error", message: (err as Error).message || String(err) });
  }
};
