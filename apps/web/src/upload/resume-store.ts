/**
 * What survives a page reload of an upload in progress, in localStorage: the
 * upload id, which file it is (path, size, modification time, dandi-etag) and
 * the parts the storage has acknowledged (part number → ETag). No presigned
 * URL is kept (they are credentials, and they expire): a resumed upload asks
 * the API for fresh ones (POST /uploads/{id}/parts/).
 */
export interface TResumeRecord {
  uploadId: string;
  path: string;
  size: number;
  lastModified: number;
  etag: string;
  /** Part number → the ETag storage answered for it (its md5). */
  parts: Record<number, string>;
  /** The CompleteMultipartUpload was accepted: only validate is left. */
  completed?: boolean;
  started: number;
}

const PREFIX = "dandi-upload:";
const keyOf = (dandisetId: string, path: string) => `${PREFIX}${dandisetId}:${path}`;

function read(key: string): TResumeRecord | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as TResumeRecord) : null;
  } catch {
    return null;
  }
}

export const resumeStore = {
  get(dandisetId: string, path: string): TResumeRecord | null {
    return read(keyOf(dandisetId, path));
  },
  save(dandisetId: string, record: TResumeRecord): void {
    try {
      localStorage.setItem(keyOf(dandisetId, record.path), JSON.stringify(record));
    } catch {
      // Storage full or disabled: the upload goes on, it just cannot be resumed after a reload.
    }
  },
  remove(dandisetId: string, path: string): void {
    localStorage.removeItem(keyOf(dandisetId, path));
  },
  /** Every interrupted upload of a dandiset, oldest first. */
  list(dandisetId: string): TResumeRecord[] {
    const records: TResumeRecord[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(`${PREFIX}${dandisetId}:`)) continue;
      const record = read(key);
      if (record) records.push(record);
    }
    return records.sort((a, b) => a.started - b.started);
  },
};
