import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import type { Readable } from "node:stream";
import { DandiEtagCalculator } from "../digests/dandi-etag";

export interface StreamDigests {
  sha256: string;
  /** null when not asked for, or when the length differs from the expected size (the etag is then meaningless). */
  dandiEtag: string | null;
  size: number;
}

export interface HashOptions {
  expectedSize: number;
  /** Also compute the dandi-etag (an MD5 per part: roughly doubles the CPU work). */
  etag: boolean;
}

/** SHA-256 (and optionally dandi-etag) and byte count of bytes fed in order. */
class BlobHasher {
  private readonly sha = createHash("sha256");
  private readonly etag: DandiEtagCalculator | null;
  private size = 0;

  constructor(private readonly options: HashOptions) {
    this.etag = options.etag && options.expectedSize > 0 ? new DandiEtagCalculator(options.expectedSize) : null;
  }

  update(chunk: Uint8Array): void {
    this.sha.update(chunk);
    this.size += chunk.length;
    if (this.etag && this.size <= this.options.expectedSize) this.etag.update(chunk);
  }

  digest(): StreamDigests {
    const etagComplete = this.etag !== null && this.size === this.options.expectedSize;
    return { sha256: this.sha.digest("hex"), dandiEtag: etagComplete ? this.etag!.digest() : null, size: this.size };
  }
}

/** Digests of a stream, read chunk by chunk: memory stays at one chunk whatever the object's size. */
export async function hashStream(stream: Readable, options: HashOptions): Promise<StreamDigests> {
  const hasher = new BlobHasher(options);
  for await (const chunk of stream as AsyncIterable<Buffer>) hasher.update(chunk);
  return hasher.digest();
}

const FILE_CHUNK = 1024 * 1024;

/**
 * Digests of a file, read into two reused 1 MiB buffers (the next read runs
 * while the current chunk is hashed). Unlike a read stream, which allocates a
 * new buffer per chunk and leaves tens of MB of garbage between collections,
 * this allocates nothing per chunk, so the process's memory stays flat.
 */
export async function hashFile(file: string, options: HashOptions): Promise<StreamDigests> {
  const hasher = new BlobHasher(options);
  const handle = await fsp.open(file, "r");
  try {
    const buffers = [Buffer.allocUnsafeSlow(FILE_CHUNK), Buffer.allocUnsafeSlow(FILE_CHUNK)] as const;
    let position = 0;
    let index = 0;
    let pending = handle.read(buffers[0], 0, FILE_CHUNK, position);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const current = buffers[index]!;
      position += bytesRead;
      index ^= 1;
      pending = handle.read(buffers[index]!, 0, FILE_CHUNK, position);
      hasher.update(current.subarray(0, bytesRead));
    }
    return hasher.digest();
  } finally {
    await handle.close();
  }
}
