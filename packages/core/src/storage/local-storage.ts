import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { TConfig } from "../config";
import { formatContentDisposition } from "./content-disposition";
import type {
  ListedMultipartUpload,
  ListedObject,
  ListObjectsOptions,
  ListObjectsPage,
  PresignGetOptions,
  Storage,
  StoredObjectInfo,
} from "./storage";
import { StorageError } from "./storage-error";
import { UrlSigner } from "./url-signer";

/** S3's smallest allowed part, except for the last one. */
const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** Signature scopes: a URL signed for one action can never be used for another. */
export const LOCAL_SCOPES = { part: "put-part", complete: "complete", get: "get", put: "put-object" } as const;

/** What the sidecar of each object records, so that a HEAD never reads the object. */
export interface LocalObjectMeta {
  size: number;
  etag: string;
  embargoed: boolean;
  contentType?: string;
  modified: string;
}

interface UploadState {
  key: string;
  embargoed: boolean;
}

interface PartState {
  etag: string;
  size: number;
}

/**
 * Files on local disk, with the API itself serving signed, expiring URLs (see
 * routes/local-storage), so that the dandi CLI speaks the very same multipart
 * protocol as against S3. Layout under LOCAL_STORAGE_DIR:
 *   objects/<key>            the bytes
 *   meta/<key>.json          size, ETag, embargo flag (LocalObjectMeta)
 *   multipart/<uploadId>/    upload.json, part-NNNNN + part-NNNNN.json
 *   tmp/                     partial writes, renamed into place when whole
 */
export class LocalStorage implements Storage {
  readonly backend = "local" as const;
  readonly signer: UrlSigner;
  private readonly root: string;
  private readonly baseUrl: string;

  constructor(private readonly config: TConfig) {
    this.root = path.resolve(config.LOCAL_STORAGE_DIR);
    this.baseUrl = `${config.DANDI_API_URL}/storage`;
    this.signer = new UrlSigner(config.SESSION_SECRET);
  }

  async createMultipartUpload(key: string, { embargoed }: { embargoed: boolean }): Promise<string> {
    assertSafeKey(key);
    const uploadId = randomBytes(24).toString("hex");
    const dir = this.uploadDir(uploadId);
    await fsp.mkdir(dir, { recursive: true });
    await this.writeJsonAtomic(path.join(dir, "upload.json"), { key, embargoed } satisfies UploadState);
    return uploadId;
  }

  async presignUploadPart(key: string, uploadId: string, partNumber: number, contentLength: number): Promise<string> {
    const p = `uploads/${uploadId}/parts/${partNumber}`;
    const q = this.signer.signQuery(
      LOCAL_SCOPES.part,
      p,
      { key, length: String(contentLength) },
      this.config.UPLOAD_URL_EXPIRY,
    );
    return `${this.baseUrl}/${p}?${q}`;
  }

  async presignCompleteMultipartUpload(key: string, uploadId: string): Promise<string> {
    const p = `uploads/${uploadId}/complete`;
    const q = this.signer.signQuery(LOCAL_SCOPES.complete, p, { key }, this.config.UPLOAD_URL_EXPIRY);
    return `${this.baseUrl}/${p}?${q}`;
  }

  /** The uploads under multipart/ whose key starts with `prefix`; started when upload.json was written. */
  async listMultipartUploads(prefix: string): Promise<ListedMultipartUpload[]> {
    let ids: string[];
    try {
      ids = await fsp.readdir(path.join(this.root, "multipart"));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const found: ListedMultipartUpload[] = [];
    for (const uploadId of ids.filter(isSafeUploadId)) {
      const file = path.join(this.uploadDir(uploadId), "upload.json");
      const state = await readJson<UploadState>(file);
      if (!state || !state.key.startsWith(prefix)) continue;
      const stat = await fsp.stat(file).catch(() => null);
      if (stat) found.push({ key: state.key, uploadId, initiated: stat.mtime });
    }
    return found.sort((a, b) => a.initiated.getTime() - b.initiated.getTime());
  }

  /** Removes the upload's parts; unknown uploads are ignored, so that cleanup can be retried. */
  async abortMultipartUpload(_key: string, uploadId: string): Promise<void> {
    if (!isSafeUploadId(uploadId)) return;
    await fsp.rm(this.uploadDir(uploadId), { recursive: true, force: true });
  }

  async headObject(key: string): Promise<StoredObjectInfo | null> {
    const meta = await this.statObject(key);
    return meta && { size: meta.size, etag: meta.etag };
  }

  async presignGet(key: string, options: PresignGetOptions = {}): Promise<string> {
    assertSafeKey(key);
    const p = `objects/${key}`;
    const params: Record<string, string> = {};
    if (options.filename) {
      params["response-content-disposition"] = formatContentDisposition(options.filename, options.disposition);
    }
    if (options.contentType) params["response-content-type"] = options.contentType;
    const q = this.signer.signQuery(LOCAL_SCOPES.get, p, params, options.expiresIn ?? this.config.DOWNLOAD_URL_EXPIRY);
    return `${this.baseUrl}/${encodeKey(p)}?${q}`;
  }

  /** Unsigned; answered only for objects that are not embargoed (S3's bucket policy, here). */
  objectUrl(key: string): string {
    return `${this.baseUrl}/${encodeKey(`objects/${key}`)}`;
  }

  async getObjectStream(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const meta = await this.statObject(key);
    if (!meta) throw new StorageError("NoSuchKey", 404, "The specified key does not exist.");
    if (range && range.start >= meta.size) {
      throw new StorageError("InvalidRange", 416, "The requested range is not satisfiable");
    }
    return fs.createReadStream(this.objectPath(key), range ? { start: range.start, end: range.end } : {});
  }

  async putObject(
    key: string,
    body: Buffer | string,
    options: { contentType?: string; embargoed?: boolean } = {},
  ): Promise<void> {
    const data = typeof body === "string" ? Buffer.from(body) : body;
    const tmp = await this.tmpPath();
    await fsp.writeFile(tmp, data);
    await this.commitObject(key, tmp, {
      size: data.length,
      etag: createHash("md5").update(data).digest("hex"),
      embargoed: !!options.embargoed,
      contentType: options.contentType,
      modified: new Date().toISOString(),
    });
  }

  async deleteObject(key: string): Promise<void> {
    assertSafeKey(key);
    await fsp.rm(this.metaPath(key), { force: true });
    await fsp.rm(this.objectPath(key), { force: true });
    // S3 has no folders: a key "a" may follow the deletion of "a/b", which needs the emptied folder gone.
    await this.pruneEmptyFolders(path.posix.dirname(key));
  }

  async setEmbargoedTag(key: string, embargoed: boolean): Promise<void> {
    const meta = await this.statObject(key);
    if (!meta) throw new StorageError("NoSuchKey", 404, "The specified key does not exist.");
    await this.writeJsonAtomic(this.metaPath(key), { ...meta, embargoed });
  }

  /** The signature binds the key, the Content-MD5 the client must send and the embargo flag. */
  async presignPutObject(
    key: string,
    { contentMd5, embargoed }: { contentMd5: string; embargoed: boolean },
  ): Promise<string> {
    assertSafeKey(key);
    const p = `objects/${key}`;
    const params = { "content-md5": contentMd5, embargoed: String(embargoed) };
    const q = this.signer.signQuery(LOCAL_SCOPES.put, p, params, this.config.DOWNLOAD_URL_EXPIRY);
    return `${this.baseUrl}/${encodeKey(p)}?${q}`;
  }

  /** The GET route answers HEAD too, so a HEAD URL is a GET URL. */
  presignHead(key: string, options: { expiresIn?: number } = {}): Promise<string> {
    return this.presignGet(key, { expiresIn: options.expiresIn });
  }

  /**
   * Walks the sidecar tree in S3's key order (UTF-8 bytes), descending only into
   * folders that can hold keys under the prefix and after startAfter, and stops
   * after maxKeys + 1 keys: a page costs about the page, not the whole prefix.
   */
  async listObjects(prefix: string, options: ListObjectsOptions = {}): Promise<ListObjectsPage> {
    const maxKeys = Math.max(0, Math.min(options.maxKeys ?? 1000, 1000));
    const startAfter = Buffer.from(options.startAfter ?? "");
    const prefixBytes = Buffer.from(prefix);
    const found: ListedObject[] = [];
    const metaRoot = path.join(this.root, "meta");
    const want = maxKeys + 1;

    const walk = async (dirKey: string): Promise<void> => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dirKey ? path.join(metaRoot, dirKey) : metaRoot, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") {
          return;
        }
        throw err;
      }
      // A folder sorts as "name/" so that "a.b" comes before "a/x", as in S3's flat key order.
      const items = entries
        .map((e): ListItem | null => {
          if (e.isDirectory()) return { dir: true, sortKey: Buffer.from(`${dirKey}${e.name}/`) };
          if (!e.isFile() || !e.name.endsWith(".json")) return null; // .tmp files of atomic writes
          const name = e.name.slice(0, -".json".length);
          return { dir: false, sortKey: Buffer.from(`${dirKey}${name}`) };
        })
        .filter((x): x is ListItem => x !== null)
        .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
      for (const item of items) {
        if (found.length >= want) return;
        if (item.dir) {
          // Skip folders wholly before startAfter or outside the prefix.
          const k = item.sortKey;
          const startAfterInside = startsWith(startAfter, k);
          if (!startAfterInside && Buffer.compare(k, startAfter) < 0) continue;
          if (!startsWith(k, prefixBytes) && !startsWith(prefixBytes, k)) continue;
          await walk(k.toString());
        } else {
          if (!startsWith(item.sortKey, prefixBytes) || Buffer.compare(item.sortKey, startAfter) <= 0) continue;
          const key = item.sortKey.toString();
          const meta = await this.statObject(key);
          if (meta) found.push({ key, lastModified: new Date(meta.modified), etag: meta.etag, size: meta.size });
        }
      }
    };
    if (maxKeys > 0) await walk("");
    return { objects: found.slice(0, maxKeys), isTruncated: found.length > maxKeys };
  }

  async deleteObjects(keys: string[]): Promise<void> {
    for (const key of keys) await this.deleteObject(key);
  }

  // ---- used by the routes that serve the signed URLs ----

  /**
   * Streams a single-PUT object to disk, hashing as it goes. The body's md5 must
   * equal `contentMd5` (base64), else S3's 400 BadDigest and nothing is stored.
   * The object's ETag is the md5 hex, as S3 gives a single PUT.
   */
  async putObjectStream(
    key: string,
    body: Readable,
    options: { contentMd5: string; embargoed: boolean; contentType?: string },
  ): Promise<string> {
    assertSafeKey(key);
    const tmp = await this.tmpPath();
    const hash = createHash("md5");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, fs.createWriteStream(tmp));
      const digest = hash.digest();
      if (digest.toString("base64") !== options.contentMd5) {
        throw new StorageError("BadDigest", 400, "The Content-MD5 you specified did not match what we received.");
      }
      const etag = digest.toString("hex");
      await this.commitObject(key, tmp, {
        size,
        etag,
        embargoed: options.embargoed,
        contentType: options.contentType ?? "binary/octet-stream",
        modified: new Date().toISOString(),
      });
      return etag;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  // ---- used by the routes that serve the signed URLs (multipart) ----

  /** The sidecar of an object, or null when it does not exist (or the key is not a valid one). */
  async statObject(key: string): Promise<LocalObjectMeta | null> {
    if (!isSafeKey(key)) return null;
    try {
      return JSON.parse(await fsp.readFile(this.metaPath(key), "utf8")) as LocalObjectMeta;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  /**
   * Streams one part to disk (never buffering it whole), hashing as it goes.
   * The body must be exactly `length` bytes. Returns the part's md5 hex (its ETag).
   */
  async uploadPart(uploadId: string, partNumber: number, body: Readable, length: number): Promise<string> {
    const state = await this.readUploadState(uploadId);
    if (state === null) throw noSuchUpload();
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
      throw new StorageError("InvalidArgument", 400, "Part number must be an integer between 1 and 10000.");
    }
    const tmp = await this.tmpPath();
    const hash = createHash("md5");
    let received = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        received += chunk.length;
        if (received > length) {
          cb(new StorageError("IncompleteBody", 400, "The request body is longer than the signed Content-Length."));
          return;
        }
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, fs.createWriteStream(tmp));
      if (received !== length) {
        throw new StorageError("IncompleteBody", 400, "You did not provide the number of bytes specified.");
      }
      const etag = hash.digest("hex");
      const dir = this.uploadDir(uploadId);
      await fsp.rename(tmp, path.join(dir, partName(partNumber)));
      await this.writeJsonAtomic(path.join(dir, `${partName(partNumber)}.json`), {
        etag,
        size: length,
      } satisfies PartState);
      return etag;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  /**
   * S3's CompleteMultipartUpload: checks the listed parts (ascending numbers,
   * matching ETags, every part but the last at least 5 MiB), concatenates them
   * by streaming into the object and returns the multipart ETag
   * (md5 of the binary part md5s, "-N").
   */
  async completeMultipartUpload(uploadId: string, xmlBody: string): Promise<{ key: string; etag: string }> {
    const state = await this.readUploadState(uploadId);
    if (state === null) throw noSuchUpload();
    const listed = parseCompleteBody(xmlBody);
    const dir = this.uploadDir(uploadId);
    const parts: PartState[] = [];
    for (const [i, p] of listed.entries()) {
      if (i > 0 && p.partNumber <= listed[i - 1]!.partNumber) {
        throw new StorageError("InvalidPartOrder", 400, "The list of parts was not in ascending order.");
      }
      const stored = await readJson<PartState>(path.join(dir, `${partName(p.partNumber)}.json`));
      if (!stored || stored.etag !== p.etag) {
        throw new StorageError("InvalidPart", 400, `Part ${p.partNumber} was not uploaded or its ETag does not match.`);
      }
      parts.push(stored);
    }
    for (const p of parts.slice(0, -1)) {
      if (p.size < MIN_PART_SIZE) {
        throw new StorageError("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed size");
      }
    }
    const tmp = await this.tmpPath();
    try {
      const out = fs.createWriteStream(tmp);
      await pipeline(async function* () {
        for (const p of listed) {
          for await (const chunk of fs.createReadStream(path.join(dir, partName(p.partNumber)))) yield chunk as Buffer;
        }
      }, out).catch((err: NodeJS.ErrnoException) => {
        // A concurrent complete of the same upload finished first and removed the parts (S3: NoSuchUpload).
        throw err.code === "ENOENT" ? noSuchUpload() : err;
      });
      const digests = Buffer.concat(parts.map((p) => Buffer.from(p.etag, "hex")));
      const etag = `${createHash("md5").update(digests).digest("hex")}-${parts.length}`;
      await this.commitObject(state.key, tmp, {
        size: parts.reduce((n, p) => n + p.size, 0),
        etag,
        embargoed: state.embargoed,
        contentType: "application/octet-stream",
        modified: new Date().toISOString(),
      });
      await fsp.rm(dir, { recursive: true, force: true });
      return { key: state.key, etag };
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  objectPath(key: string): string {
    assertSafeKey(key);
    return path.join(this.root, "objects", key);
  }

  // ---- internals ----

  private metaPath(key: string): string {
    return path.join(this.root, "meta", `${key}.json`);
  }

  private uploadDir(uploadId: string): string {
    if (!isSafeUploadId(uploadId)) throw noSuchUpload();
    return path.join(this.root, "multipart", uploadId);
  }

  private async readUploadState(uploadId: string): Promise<UploadState | null> {
    if (!isSafeUploadId(uploadId)) return null;
    return readJson<UploadState>(path.join(this.uploadDir(uploadId), "upload.json"));
  }

  private async tmpPath(): Promise<string> {
    const dir = path.join(this.root, "tmp");
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, randomBytes(12).toString("hex"));
  }

  /** Moves a finished temp file into place, then writes its sidecar (a HEAD then sees the new object). */
  private async commitObject(key: string, tmp: string, meta: LocalObjectMeta): Promise<void> {
    const target = this.objectPath(key);
    for (let attempt = 0; ; attempt++) {
      await fsp.mkdir(path.dirname(target), { recursive: true });
      try {
        await fsp.rename(tmp, target);
        break;
      } catch (err) {
        // A delete pruned the folder between mkdir and rename: make it again, once.
        if ((err as NodeJS.ErrnoException).code !== "ENOENT" || attempt > 0) throw err;
      }
    }
    await this.writeJsonAtomic(this.metaPath(key), meta);
  }

  /** Removes the folders of `dirKey` (and up) in both trees while they are empty. */
  private async pruneEmptyFolders(dirKey: string): Promise<void> {
    for (const tree of ["objects", "meta"]) {
      for (let d = dirKey; d !== "." && d !== ""; d = path.posix.dirname(d)) {
        try {
          await fsp.rmdir(path.join(this.root, tree, d));
        } catch {
          break; // not empty (or already gone): its parents are not empty either
        }
      }
    }
  }

  private async writeJsonAtomic(file: string, value: unknown): Promise<void> {
    await fsp.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await fsp.writeFile(tmp, JSON.stringify(value));
    await fsp.rename(tmp, file);
  }
}

interface ListItem {
  dir: boolean;
  /** The full key (a folder's with a trailing "/"), as UTF-8 bytes. */
  sortKey: Buffer;
}

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.subarray(0, prefix.length).equals(prefix);
}

function partName(n: number): string {
  return `part-${String(n).padStart(5, "0")}`;
}

function noSuchUpload(): StorageError {
  return new StorageError(
    "NoSuchUpload",
    404,
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  );
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fsp.readFile(file, "utf8")) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

function isSafeUploadId(id: string): boolean {
  return /^[0-9a-f]{48}$/.test(id);
}

/** Keys are relative paths without empty, "." or ".." segments: nothing may escape the storage folder. */
export function isSafeKey(key: string): boolean {
  if (!key || key.length > 1024 || key.includes("\0") || key.includes("\\")) return false;
  return key.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

function assertSafeKey(key: string): void {
  if (!isSafeKey(key)) throw new StorageError("InvalidKey", 400, `Invalid object key: ${key}`);
}

function encodeKey(p: string): string {
  return p.split("/").map(encodeURIComponent).join("/");
}

function unescapeXml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The parts of a CompleteMultipartUpload XML body; ETags lose their quotes. */
export function parseCompleteBody(xml: string): { partNumber: number; etag: string }[] {
  if (!/<CompleteMultipartUpload[\s>]/.test(xml)) {
    throw new StorageError("MalformedXML", 400, "The XML you provided was not well-formed.");
  }
  const parts: { partNumber: number; etag: string }[] = [];
  for (const m of xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)) {
    const num = /<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]!);
    const etag = /<ETag>([\s\S]*?)<\/ETag>/.exec(m[1]!);
    if (!num || !etag) throw new StorageError("MalformedXML", 400, "The XML you provided was not well-formed.");
    parts.push({ partNumber: Number(num[1]), etag: unescapeXml(etag[1]!).trim().replace(/"/g, "") });
  }
  if (parts.length === 0) throw new StorageError("MalformedXML", 400, "The XML you provided was not well-formed.");
  return parts;
}
