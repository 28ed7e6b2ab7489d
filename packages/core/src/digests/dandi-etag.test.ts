import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { computeDandiEtag, computeDandiEtagOfStream, DandiEtagCalculator, planEtagParts } from "./dandi-etag";

const MiB = 1024 * 1024;

/** Deterministic content: byte i is i % 251 (the same bytes the reference values were computed from). */
function pattern(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = i % 251;
  return b;
}

describe("planEtagParts", () => {
  // Reference values from dandischema.digests.dandietag.PartGenerator.for_file_size:
  // [size, part count, first part size, last part size, last part offset]
  const cases: [number, number, number, number, number][] = [
    [1, 1, 1, 1, 0],
    [10, 1, 10, 10, 0],
    [67108864, 1, 67108864, 67108864, 0],
    [67108865, 2, 67108864, 1, 67108864],
    [73400320, 2, 67108864, 6291456, 67108864],
    [671088640000, 10000, 67108864, 67108864, 671021531136],
    [671088640001, 10000, 67108865, 67098866, 671021541135],
    [5497558138880, 10000, 549755814, 549754694, 5497008384186],
  ];
  it.each(cases)("size %d → %d parts", (size, count, first, last, lastOffset) => {
    const parts = planEtagParts(size);
    expect(parts).toHaveLength(count);
    expect(parts[0]!.size).toBe(first);
    expect(parts.at(-1)).toEqual({ partNumber: count, offset: lastOffset, size: last });
    expect(parts.reduce((n, p) => n + p.size, 0)).toBe(size);
  });

  it("rejects empty and over-5-TiB sizes", () => {
    expect(() => planEtagParts(0)).toThrow(RangeError);
    expect(() => planEtagParts(5 * 1024 ** 4 + 1)).toThrow("larger than the S3 maximum");
  });
});

describe("dandi-etag", () => {
  // Reference values from dandischema.digests.dandietag.DandiETag.
  it("matches dandischema for known contents", () => {
    expect(computeDandiEtag(Buffer.from("0123456789"))).toBe("8e938564cd1410f0ec1c1781466a6738-1");
    expect(computeDandiEtag(Buffer.alloc(1))).toBe("7e4696ef25d5faececd853ce5e2a233b-1");
    expect(computeDandiEtag(pattern(64 * MiB))).toBe("ca37a5b456bf30f5ae00f498ee4a122f-1");
  });

  it("computes a two-part etag from a stream in odd-sized chunks", async () => {
    const data = pattern(70 * MiB);
    const chunks = function* () {
      for (let i = 0; i < data.length; i += 999_983) yield data.subarray(i, i + 999_983);
    };
    expect(await computeDandiEtagOfStream(Readable.from(chunks()), data.length)).toBe(
      "6642e3fadf9ea4965d8983f698587eac-2",
    );
  });

  it("refuses too few or too many bytes", () => {
    expect(() => new DandiEtagCalculator(10).update(Buffer.alloc(9)).digest()).toThrow(RangeError);
    expect(() => new DandiEtagCalculator(10).update(Buffer.alloc(11))).toThrow(RangeError);
  });
});
