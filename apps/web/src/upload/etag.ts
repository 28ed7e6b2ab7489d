import { createMD5 } from "hash-wasm";
import { planEtagParts } from "@dandi/shared";

/** Bytes read from the file at a time: the hashing never holds more than this in memory. */
const READ_CHUNK = 8 * 1024 * 1024;

export interface TFileDigest {
  /** DANDI's dandi-etag: md5 of the concatenated binary part md5s, "-", the part count. */
  etag: string;
  /** The md5 (hex) of each part of DANDI's schedule, in order: what S3 answers as each part's ETag. */
  partMd5s: string[];
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The dandi-etag and part md5s of a file (or any Blob), streaming: each part of
 * DANDI's schedule (`planEtagParts`, shared with the API) is read in 8 MiB
 * slices through hash-wasm's incremental MD5. `onProgress` gets the bytes
 * hashed so far.
 */
export async function hashBlob(blob: Blob, onProgress?: (bytes: number) => void): Promise<TFileDigest> {
  const md5 = await createMD5();
  const digests: Uint8Array[] = [];
  let done = 0;
  for (const part of planEtagParts(blob.size)) {
    md5.init();
    for (let offset = part.offset; offset < part.offset + part.size; offset += READ_CHUNK) {
      const end = Math.min(offset + READ_CHUNK, part.offset + part.size);
      md5.update(new Uint8Array(await blob.slice(offset, end).arrayBuffer()));
      done += end - offset;
      onProgress?.(done);
    }
    digests.push(md5.digest("binary"));
  }
  const joined = new Uint8Array(digests.length * 16);
  digests.forEach((d, i) => joined.set(d, i * 16));
  md5.init();
  md5.update(joined);
  return { etag: `${md5.digest("hex")}-${digests.length}`, partMd5s: digests.map(toHex) };
}
