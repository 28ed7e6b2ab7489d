import { createHash, type Hash } from "node:crypto";
import type { Readable } from "node:stream";
import { planEtagParts, type EtagPart } from "@dandi/shared";

// The part schedule is shared with the web app's browser upload (one implementation).
export { DANDI_ETAG_REGEX, DEFAULT_PART_SIZE, MAX_OBJECT_SIZE, MAX_PARTS, planEtagParts } from "@dandi/shared";
export type { EtagPart } from "@dandi/shared";

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
