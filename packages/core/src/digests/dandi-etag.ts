import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";

export const DEFAULT_PART_SIZE = 64 * 1024 * 1024;
export const MAX_PARTS = 10_000;
/** S3's largest object. */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;

export interface EtagPart {
  partNumber: number;
  offset: number;
  size: number;
}

/**
 * DANDI's part schedule (dandischema `PartGenerator.for_file_size`): 64 MiB
 * parts, larger ones when that would need 10,000 parts or more; the last part
 * holds the remainder. The dandi CLI refuses an upload whose parts differ.
 * Throws for sizes below 1 or above 5 TiB.
 */
export function planEtagParts(size: number): EtagPart[] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("Size must be a positive integer.");
  if (size > MAX_OBJECT_SIZE) throw new RangeError("File is larger than the S3 maximum object size.");
  let partSize = DEFAULT_PART_SIZE;
  if (Math.ceil(size / partSize) >= MAX_PARTS) partSize = Math.ceil(size / MAX_PARTS);
  let count = Math.floor(size / partSize);
  let last = size % partSize;
  if (last === 0) last = partSize;
  else count += 1;
  const parts: EtagPart[] = [];
  for (let i = 0; i < count; i++) {
    parts.push({ partNumber: i + 1, offset: i * partSize, size: i === count - 1 ? last : partSize });
  }
  return parts;
}

/**
 * Incremental dandi-etag: feed the bytes in order, in chunks of any size; the
 * part boundaries come from `planEtagParts(size)`. The result is
 * md5(md5(part1) ‖ … ‖ md5(partN)) in hex, then "-N" (S3's multipart ETag).
 */
export class DandiEtagCalculator {
  private readonly parts: EtagPart[];
  private readonly digests: Buffer[] = [];
  private current: Hash = createHash("md5");
  private filled = 0;
  private total = 0;

  constructor(readonly size: number) {
    this.parts = planEtagParts(size);
  }

  update(chunk: Uint8Array): this {
    let offset = 0;
    while (offset < chunk.length) {
      const part = this.parts[this.digests.length];
      if (!part) throw new RangeError(`More than the announced ${this.size} bytes.`);
      const take = Math.min(part.size - this.filled, chunk.length - offset);
      this.current.update(chunk.subarray(offset, offset + take));
      this.filled += take;
      offset += take;
      if (this.filled === part.size) {
        this.digests.push(this.current.digest());
        this.current = createHash("md5");
        this.filled = 0;
      }
    }
    this.total += chunk.length;
    return this;
  }

  /** The etag; throws when fewer bytes than announced were fed. */
  digest(): string {
    if (this.total !== this.size) throw new RangeError(`Got ${this.total} of the announced ${this.size} bytes.`);
    const md5 = createHash("md5").update(Buffer.concat(this.digests)).digest("hex");
    return `${md5}-${this.digests.length}`;
  }
}

/** The dandi-etag of bytes in memory. */
export function computeDandiEtag(data: Uint8Array): string {
  return new DandiEtagCalculator(data.length).update(data).digest();
}

/** The dandi-etag of a stream of exactly `size` bytes. */
export async function computeDandiEtagOfStream(stream: Readable, size: number): Promise<string> {
  const calc = new DandiEtagCalculator(size);
  for await (const chunk of stream) calc.update(chunk as Buffer);
  return calc.digest();
}

/** DANDI's etag format (AssetBlob.etag): 32 hex digits, "-", the part count. */
export const DANDI_ETAG_REGEX = /^[0-9a-f]{32}-\d{1,5}$/;
