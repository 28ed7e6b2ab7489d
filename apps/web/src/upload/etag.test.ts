import { describe, expect, it } from "vitest";
import { hashBlob } from "./etag";
import { encodingFormatOf } from "./encoding-format";

/** Deterministic bytes; the expected digests were computed with Node's crypto (core's computeDandiEtag). */
function bytes(n: number): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + 7) & 255;
  return b;
}
const MiB = 1024 * 1024;

describe("hashBlob (the browser's dandi-etag)", () => {
  it.each([
    [1, "7d93411f6cb34daa128cdb0ff859ea2c-1", ["89e74e640b8c46257a29de0616794d5d"]],
    [1000, "4521ef265887a82e36ce3e0e718e3087-1", ["2b1e78d5765de9e10495a01412a1cf22"]],
    // Exactly one 64 MiB part, then one byte more than that: the schedule's boundary.
    [64 * MiB, "2d936abc00ac660d5e94e2b4fba72f80-1", ["e4595195ac4f57b2f6c138f9d0024229"]],
    [
      64 * MiB + 5,
      "f71895a74b1c32d7abfeff2cb0971512-2",
      ["e4595195ac4f57b2f6c138f9d0024229", "f2d9a07d74a62611bf61dc4b8825f3bc"],
    ],
  ])(
    "%i bytes",
    async (size, etag, partMd5s) => {
      const seen: number[] = [];
      const digest = await hashBlob(new Blob([bytes(size)]), (b) => seen.push(b));
      expect(digest).toEqual({ etag, partMd5s });
      // Progress only grows and ends at the size.
      expect(seen.at(-1)).toBe(size);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
      // Hashing 64 MiB in happy-dom takes seconds on a busy machine.
    },
    60_000,
  );

  it("refuses an empty file, as DANDI's schedule does", async () => {
    await expect(hashBlob(new Blob([]))).rejects.toThrow(RangeError);
  });
});

describe("encodingFormatOf", () => {
  it.each([
    ["sub-01/sub-01_ses-1.nwb", "application/x-nwb"],
    ["README.TXT", "text/plain"],
    ["data/table.tsv", "text/tab-separated-values"],
    ["movie.mp4", "video/mp4"],
    ["noextension", "application/octet-stream"],
    [".hidden", "application/octet-stream"],
    ["blob.xyz", "application/octet-stream"],
  ])("%s → %s", (path, format) => expect(encodingFormatOf(path)).toBe(format));
});
