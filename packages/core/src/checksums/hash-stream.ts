import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { DandiEtagCalculator } from "../digests/dandi-etag";

export interface StreamDigests {
  sha256: string;
  /** null when the stream's length differs from the expected size (the etag is then meaningless). */
  dandiEtag: string | null;
  size: number;
}

/**
 * SHA-256, dandi-etag and byte count of a stream, read chunk by chunk: memory
 * stays at one chunk whatever the object's size.
 */
export async function hashStream(stream: Readable, expectedSize: number): Promise<StreamDigests> {
  const sha = createHash("sha256");
  const etag = expectedSize > 0 ? new DandiEtagCalculator(expectedSize) : null;
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sha.update(chunk);
    size += chunk.length;
    if (etag && size <= expectedSize) etag.update(chunk);
  }
  return { sha256: sha.digest("hex"), dandiEtag: etag && size === expectedSize ? etag.digest() : null, size };
}
