import { reactive } from "vue";
import { ApiRequestError } from "../api/client";
import type { TFileDigest } from "./etag";
import { encodingFormatOf } from "./encoding-format";
import type { TPickedFile } from "./collect-files";
import { hashInWorker } from "./hash-in-worker";
import { PartError, putPart } from "./put-part";
import { resumeStore, type TResumeRecord } from "./resume-store";
import {
  completeUpload,
  findAssetAtPath,
  findBlob,
  getAssetValidation,
  initializeUpload,
  resignParts,
  saveAsset,
  validateUpload,
  type TAssetItem,
  type TAssetStatus,
  type TBlob,
  type TUploadParts,
} from "./upload-api";

export type TItemState =
  | "waiting"
  | "hashing"
  | "checking"
  | "confirm"
  | "uploading"
  | "finishing"
  | "saving"
  | "paused"
  | "done"
  | "unchanged"
  | "skipped"
  | "failed"
  | "cancelled";

/** States in which the item has nothing left to do (or waits for the user). */
const SETTLED: TItemState[] = ["done", "unchanged", "skipped", "failed", "cancelled", "confirm", "paused"];
const RUNNING: TItemState[] = ["hashing", "checking", "uploading", "finishing", "saving"];

export interface TUploadItem {
  id: number;
  file: File;
  /** The asset path in the draft. */
  path: string;
  size: number;
  state: TItemState;
  /** Bytes hashed, then bytes stored (parts acknowledged plus the ones in flight). */
  hashed: number;
  sent: number;
  partsTotal: number;
  partsDone: number;
  /** Continued an upload interrupted earlier (a reload): `partsReused` parts were not sent again. */
  resumed: boolean;
  partsReused: number;
  /** An identical blob was already stored: no bytes were sent. */
  reused: boolean;
  /** An asset at this path exists (with other content); replaced only once the user says so. */
  existing: TAssetItem | null;
  replace: boolean;
  error: string | null;
  assetId: string | null;
  assetStatus: TAssetStatus | null;
  validationErrors: string[];
}

export interface TUploadQueueOptions {
  /** Parts of one file in flight at once. */
  partConcurrency?: number;
  /** Files being hashed or uploaded at once. */
  fileConcurrency?: number;
  /** Attempts per part before the file fails (it can then be retried). */
  partAttempts?: number;
  /** Called when an asset was added or replaced. */
  onAssetSaved?: (item: TUploadItem) => void;
}

interface TRuntime {
  controller: AbortController | null;
  digest: TFileDigest | null;
  checked: boolean;
  inflight: Map<number, number>;
  storedBytes: number;
}

const isAbort = (err: unknown) => (err as Error)?.name === "AbortError";
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(new DOMException("Stopped.", "AbortError"));
      },
      { once: true },
    );
  });

/**
 * The browser's `dandi upload`: for each file, the dandi-etag (in a Web
 * Worker), DANDI's upload protocol (initialize or the 409 of an existing blob,
 * the parts straight to storage in parallel, complete, validate), then the
 * asset at its path. A file's progress survives a reload (`resumeStore`); a
 * part that fails is retried with backoff, with fresh URLs if its URL expired.
 */
export class UploadQueue {
  readonly items: TUploadItem[] = reactive([]);
  private readonly runtime = new Map<number, TRuntime>();
  private nextId = 1;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private readonly partConcurrency: number;
  private readonly fileConcurrency: number;
  private readonly partAttempts: number;

  constructor(
    readonly dandisetId: string,
    private readonly options: TUploadQueueOptions = {},
  ) {
    this.partConcurrency = options.partConcurrency ?? 4;
    this.fileConcurrency = options.fileConcurrency ?? 2;
    this.partAttempts = options.partAttempts ?? 4;
  }

  /** Queues files under `location` (a folder of the draft, "" for the root). Empty files are refused, as by S3. */
  add(files: TPickedFile[], location: string): void {
    const prefix = location.replace(/^\/+|\/+$/g, "");
    for (const { file, relativePath } of files) {
      const path = (prefix ? `${prefix}/${relativePath}` : relativePath).replace(/\/+/g, "/").replace(/^\//, "");
      // The same path queued again replaces a finished or failed entry; one still running is left alone.
      const same = this.items.find((i) => i.path === path);
      if (same && !SETTLED.includes(same.state) && same.state !== "confirm") continue;
      if (same) this.remove(same);
      const item = reactive<TUploadItem>({
        id: this.nextId++,
        file,
        path,
        size: file.size,
        state: file.size === 0 ? "failed" : "waiting",
        hashed: 0,
        sent: 0,
        partsTotal: 0,
        partsDone: 0,
        resumed: false,
        partsReused: 0,
        reused: false,
        existing: null,
        replace: false,
        error: file.size === 0 ? "Empty files cannot be uploaded." : null,
        assetId: null,
        assetStatus: null,
        validationErrors: [],
      }) as TUploadItem;
      this.items.push(item);
      this.runtime.set(item.id, {
        controller: null,
        digest: null,
        checked: false,
        inflight: new Map(),
        storedBytes: 0,
      });
    }
    this.pump();
  }

  get active(): boolean {
    return this.items.some((i) => i.state === "waiting" || RUNNING.includes(i.state));
  }

  /** Bytes of the files that are (or will be) uploaded, and how many of them are stored. */
  get totals(): { bytes: number; sent: number; files: number; finished: number } {
    const counted = this.items.filter((i) => !["skipped", "cancelled", "unchanged"].includes(i.state));
    return {
      bytes: counted.reduce((s, i) => s + i.size, 0),
      sent: counted.reduce((s, i) => s + (i.state === "done" ? i.size : i.sent), 0),
      files: this.items.length,
      finished: this.items.filter((i) => ["done", "unchanged", "skipped"].includes(i.state)).length,
    };
  }

  pause(item: TUploadItem): void {
    if (item.state !== "waiting" && !RUNNING.includes(item.state)) return;
    item.state = "paused";
    this.runtime.get(item.id)?.controller?.abort();
  }

  resume(item: TUploadItem): void {
    if (item.state !== "paused" && item.state !== "failed") return;
    if (item.size === 0) return;
    item.state = "waiting";
    item.error = null;
    this.pump();
  }

  /** Stops the file for good and forgets its resume record. */
  cancel(item: TUploadItem): void {
    if (["done", "unchanged", "skipped", "cancelled"].includes(item.state)) return;
    item.state = "cancelled";
    this.runtime.get(item.id)?.controller?.abort();
    resumeStore.remove(this.dandisetId, item.path);
  }

  /** The answer to "a file exists at this path: replace it?". */
  decide(item: TUploadItem, replace: boolean): void {
    if (item.state !== "confirm") return;
    item.replace = replace;
    item.state = replace ? "waiting" : "skipped";
    this.pump();
  }

  pauseAll(): void {
    this.items.forEach((i) => this.pause(i));
  }
  resumeAll(): void {
    this.items.filter((i) => i.state === "paused").forEach((i) => this.resume(i));
  }
  cancelAll(): void {
    this.items.forEach((i) => this.cancel(i));
  }
  /** Drops the finished entries from the list. */
  clearFinished(): void {
    this.items
      .filter((i) => ["done", "unchanged", "skipped", "cancelled"].includes(i.state))
      .forEach((i) => this.remove(i));
  }

  dispose(): void {
    this.items.forEach((i) => this.runtime.get(i.id)?.controller?.abort());
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private remove(item: TUploadItem): void {
    this.runtime.get(item.id)?.controller?.abort();
    this.runtime.delete(item.id);
    this.items.splice(this.items.indexOf(item), 1);
  }

  private pump(): void {
    let running = this.items.filter((i) => RUNNING.includes(i.state)).length;
    for (const item of this.items) {
      if (running >= this.fileConcurrency) break;
      if (item.state !== "waiting") continue;
      running++;
      void this.run(item);
    }
  }

  private async run(item: TUploadItem): Promise<void> {
    const rt = this.runtime.get(item.id)!;
    const controller = new AbortController();
    rt.controller = controller;
    const { signal } = controller;
    try {
      if (!rt.digest) {
        item.state = "hashing";
        rt.digest = await hashInWorker(item.file, (bytes) => (item.hashed = bytes), signal);
      }
      if (!rt.checked) {
        item.state = "checking";
        const existing = await findAssetAtPath(this.dandisetId, item.path);
        rt.checked = true;
        if (existing) {
          const blob = await findBlob(rt.digest.etag);
          if (blob && blob.blob_id === existing.blob) {
            item.state = "unchanged";
            item.assetId = existing.asset_id;
            item.assetStatus = "Pending";
            this.startPolling();
            resumeStore.remove(this.dandisetId, item.path);
            return;
          }
          item.existing = existing;
          item.state = "confirm";
          return;
        }
      }
      item.state = "uploading";
      const blob = await this.transfer(item, rt, signal);
      item.state = "saving";
      const asset = await saveAsset(
        this.dandisetId,
        blob.blob_id,
        {
          schemaKey: "Asset",
          path: item.path,
          encodingFormat: encodingFormatOf(item.path),
          blobDateModified: new Date(item.file.lastModified).toISOString(),
        },
        item.replace ? (item.existing?.asset_id ?? null) : null,
      );
      resumeStore.remove(this.dandisetId, item.path);
      item.assetId = asset.asset_id;
      item.assetStatus = "Pending";
      item.state = "done";
      this.options.onAssetSaved?.(item);
      this.startPolling();
    } catch (err) {
      // Paused or cancelled: the state was set by pause()/cancel().
      if (isAbort(err) && signal.aborted) return;
      item.state = "failed";
      item.error = (err as Error).message;
    } finally {
      if (rt.controller === controller) rt.controller = null;
      this.pump();
    }
  }

  /** Resume or initialize, the parts, complete, validate: the blob. */
  private async transfer(item: TUploadItem, rt: TRuntime, signal: AbortSignal): Promise<TBlob> {
    const { etag, partMd5s } = rt.digest!;
    let record = resumeStore.get(this.dandisetId, item.path);
    if (record && (record.etag !== etag || record.size !== item.size)) {
      resumeStore.remove(this.dandisetId, item.path);
      record = null;
    }
    let upload: TUploadParts | null = null;
    if (record?.completed) {
      try {
        return await validateUpload(record.uploadId, etag);
      } catch (err) {
        if (!(err instanceof ApiRequestError && err.status === 404)) throw err;
        record = null;
      }
    } else if (record) {
      // Fresh URLs for the same upload id: the parts stored before the reload stay stored.
      upload = await resignParts(record.uploadId);
      if (!upload) record = null;
    }
    if (!record || !upload) {
      const init = await initializeUpload(this.dandisetId, item.size, etag);
      if ("exists" in init) {
        const blob = await findBlob(etag);
        if (!blob) throw new Error("The archive reported an identical file but does not show it.");
        item.reused = true;
        item.sent = item.size;
        return blob;
      }
      upload = init;
      record = {
        uploadId: init.upload_id,
        path: item.path,
        size: item.size,
        lastModified: item.file.lastModified,
        etag,
        parts: {},
        started: Date.now(),
      };
      resumeStore.save(this.dandisetId, record);
    } else {
      item.resumed = true;
    }
    const rec: TResumeRecord = record;
    const parts = upload.parts;
    // A recorded part counts as stored only if its ETag is this file's md5 for that part.
    const stored = (n: number) => rec.parts[n] !== undefined && rec.parts[n] === partMd5s[n - 1];
    const todo = parts.filter((p) => !stored(p.part_number));
    item.partsTotal = parts.length;
    item.partsDone = parts.length - todo.length;
    if (item.resumed) item.partsReused = item.partsDone;
    rt.storedBytes = parts.filter((p) => stored(p.part_number)).reduce((s, p) => s + p.size, 0);
    rt.inflight.clear();
    item.sent = rt.storedBytes;

    let urls = new Map(parts.map((p) => [p.part_number, p.upload_url]));
    let offsets = 0;
    const offsetOf = new Map(parts.map((p) => [p.part_number, (offsets += p.size) - p.size]));
    const progress = () => {
      let inflight = 0;
      rt.inflight.forEach((b) => (inflight += b));
      item.sent = rt.storedBytes + inflight;
    };

    // A pool of `partConcurrency` senders; the first part that fails for good stops the others.
    const poolController = new AbortController();
    const poolSignal = poolController.signal;
    signal.addEventListener("abort", () => poolController.abort(), { once: true });

    const sendPart = async (part: TUploadParts["parts"][number]) => {
      const start = offsetOf.get(part.part_number)!;
      const body = item.file.slice(start, start + part.size);
      for (let attempt = 1; ; attempt++) {
        try {
          const partEtag = await putPart(
            urls.get(part.part_number)!,
            body,
            (b) => {
              rt.inflight.set(part.part_number, b);
              progress();
            },
            poolSignal,
          );
          if (partEtag !== partMd5s[part.part_number - 1]) {
            throw new Error(`Part ${part.part_number} arrived changed: was the file modified during the upload?`);
          }
          return partEtag;
        } catch (err) {
          rt.inflight.delete(part.part_number);
          progress();
          if (isAbort(err) || !(err instanceof PartError) || attempt >= this.partAttempts) throw err;
          await sleep(500 * 2 ** attempt, poolSignal);
          // An expired or refused signature: ask for fresh URLs of the same upload.
          if (err.status === 403) {
            const fresh = await resignParts(rec.uploadId);
            if (!fresh) throw new Error("The upload was cleared on the server; start it again.");
            urls = new Map(fresh.parts.map((p) => [p.part_number, p.upload_url]));
          }
        }
      }
    };

    const queue = [...todo];
    let failure: unknown = null;
    const sender = async () => {
      for (let part = queue.shift(); part && !failure; part = queue.shift()) {
        try {
          const partEtag = await sendPart(part);
          rec.parts[part.part_number] = partEtag;
          resumeStore.save(this.dandisetId, rec);
          rt.inflight.delete(part.part_number);
          rt.storedBytes += part.size;
          item.partsDone++;
          progress();
        } catch (err) {
          failure ??= err;
          poolController.abort();
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.partConcurrency, queue.length) }, sender));
    if (failure) throw failure;
    signal.throwIfAborted();

    item.state = "finishing";
    await completeUpload(
      rec.uploadId,
      parts.map((p) => ({ part_number: p.part_number, size: p.size, etag: rec.parts[p.part_number]! })),
    );
    rec.completed = true;
    resumeStore.save(this.dandisetId, rec);
    try {
      return await validateUpload(rec.uploadId, etag);
    } catch (err) {
      // Not completed after all (its answer was unreadable): a retry sends the completion again.
      if (err instanceof ApiRequestError && err.status === 400 && /does not exist/.test(err.message)) {
        rec.completed = false;
        resumeStore.save(this.dandisetId, rec);
        throw new Error("Storage did not complete the upload; retry it.");
      }
      throw err;
    }
  }

  /** Polls the validation status of the new assets until each is Valid or Invalid. */
  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => void this.poll(), 2000);
  }

  private async poll(): Promise<void> {
    const open = this.items.filter(
      (i) =>
        (i.state === "done" || i.state === "unchanged") &&
        i.assetId &&
        (i.assetStatus === "Pending" || i.assetStatus === "Validating"),
    );
    if (open.length === 0) {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = null;
      return;
    }
    await Promise.all(
      open.map(async (item) => {
        try {
          const v = await getAssetValidation(this.dandisetId, item.assetId!);
          item.assetStatus = v.status;
          item.validationErrors = v.validation_errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
        } catch {
          // The next round asks again.
        }
      }),
    );
  }
}
