import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../config";
import {
  compareCodePoints,
  computeZarrChecksum,
  EMPTY_ZARR_CHECKSUM,
  pythonJsonString,
  ZarrChecksumBuilder,
  type ZarrChecksumFile,
} from "./zarr-checksum";

const PYTHON = path.join(REPO_ROOT, ".venv", "bin", "python");

/** The real `zarr_checksum` package on a list of (path, size, md5) entries. */
function pythonChecksumOfEntries(files: ZarrChecksumFile[]): string {
  const script = `
import json, sys
from pathlib import Path
from zarr_checksum import compute_zarr_checksum
from zarr_checksum.generators import ZarrArchiveFile
entries = json.load(sys.stdin)
files = [ZarrArchiveFile(path=Path(e["path"]), size=e["size"], digest=e["md5"]) for e in entries]
print(compute_zarr_checksum(files).digest)
`;
  return execFileSync(PYTHON, ["-c", script], { input: JSON.stringify(files), encoding: "utf8" }).trim();
}

/** The real `zarr_checksum` package reading a directory from disk (yield_files_local). */
function pythonChecksumOfDirectory(dir: string): string {
  const script = `
import sys
from zarr_checksum import compute_zarr_checksum
from zarr_checksum.generators import yield_files_local
print(compute_zarr_checksum(yield_files_local(sys.argv[1])).digest)
`;
  return execFileSync(PYTHON, ["-c", script, dir], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

const md5 = (data: Buffer | string) => createHash("md5").update(data).digest("hex");

const scratch = mkdtempSync(path.join(tmpdir(), "zarr-checksum-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes files under a fresh directory; returns it and the entries our checksum takes. */
function writeTree(files: Record<string, Buffer | string>): { dir: string; entries: ZarrChecksumFile[] } {
  const dir = mkdtempSync(path.join(scratch, "tree-"));
  const entries: ZarrChecksumFile[] = [];
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
    entries.push({ path: rel, size: Buffer.byteLength(content), md5: md5(content) });
  }
  return { dir, entries };
}

describe("zarr checksum against the zarr_checksum Python package", () => {
  it("has DANDI's empty checksum", () => {
    expect(EMPTY_ZARR_CHECKSUM).toBe("481a2f77ab786a0f45aafd5db0971caa-0--0");
    expect(pythonChecksumOfEntries([])).toBe(EMPTY_ZARR_CHECKSUM);
    const { dir } = writeTree({});
    expect(pythonChecksumOfDirectory(dir)).toBe(EMPTY_ZARR_CHECKSUM);
  });

  it("matches on a zarr-like tree with nested arrays and groups", () => {
    const files: Record<string, Buffer | string> = {
      ".zgroup": '{"zarr_format": 2}',
      ".zattrs": "{}",
      "0/.zarray": '{"chunks": [2, 2]}',
      "0/.zattrs": "{}",
      "labels/.zgroup": '{"zarr_format": 2}',
      "labels/seg/0/.zarray": "{}",
      "labels/seg/0/0/0": randomBytes(17),
    };
    for (let i = 0; i < 4; i++) for (let j = 0; j < 3; j++) files[`0/${i}/${j}`] = randomBytes(1 + i * 13 + j);
    for (let i = 0; i < 12; i++) files[`1/0.${i}`] = randomBytes(i);
    const { dir, entries } = writeTree(files);
    const ours = computeZarrChecksum(entries);
    expect(ours.digest).toBe(pythonChecksumOfDirectory(dir));
    expect(ours.count).toBe(entries.length);
    expect(ours.size).toBe(entries.reduce((n, e) => n + e.size, 0));
  });

  it("matches with unicode, punctuation and look-alike names (sort order and JSON escapes)", () => {
    const { dir, entries } = writeTree({
      "ünïcödé/数据/0": "a",
      "ünïcödé/数据/1": "bb",
      "emoji/😀": "smile",
      "emoji/\uFB01": "ligature sorts before the emoji",
      "emoji/z": "",
      'quote"d/back\\slash': "q",
      "tab\there/x": "t",
      "del\u007F/x": "d",
      "a-b/x": "1",
      "a.b": "2",
      "a/x": "3",
      "a/y/z": "4",
      a0: "5",
      "space name/ok": "6",
    });
    expect(computeZarrChecksum(entries).digest).toBe(pythonChecksumOfDirectory(dir));
  });

  it("matches on path strings disk cannot hold: a file and a folder of the same name, odd slashes", () => {
    const entries: ZarrChecksumFile[] = [
      { path: "x", size: 3, md5: md5("abc") },
      { path: "x/y", size: 1, md5: md5("y") },
      { path: "nested//double/./dot", size: 2, md5: md5("zz") },
      { path: "ctl\u0001\u001f/\r\n", size: 0, md5: md5("") },
      { path: "big", size: 2 ** 40, md5: '"' + md5("not really") + '"' },
    ];
    const expected = pythonChecksumOfEntries(entries.map((e) => ({ ...e, md5: e.md5.replace(/"/g, "") })));
    expect(computeZarrChecksum(entries).digest).toBe(expected);
  });

  it("matches on a random deep tree fed in listing order", () => {
    const entries: ZarrChecksumFile[] = [];
    const names = ["0", "1", "10", "2", ".zarray", "a", "A", "é", "a.b", "a-b", "𝔸"];
    const pick = () => names[Math.floor(Math.random() * names.length)]!;
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const depth = 1 + Math.floor(Math.random() * 5);
      const p = Array.from({ length: depth }, pick).join("/");
      if (seen.has(p)) continue;
      seen.add(p);
      entries.push({ path: p, size: Math.floor(Math.random() * 1000), md5: md5(p) });
    }
    const builder = new ZarrChecksumBuilder();
    for (const e of [...entries].sort((a, b) => compareCodePoints(a.path, b.path))) builder.add(e);
    expect(builder.count).toBe(entries.length);
    expect(builder.digest().digest).toBe(pythonChecksumOfEntries(entries));
  });
});

describe("ZarrChecksumBuilder", () => {
  it("refuses files out of listing order (a folder would be digested twice)", () => {
    const builder = new ZarrChecksumBuilder().add({ path: "a/b", size: 1, md5: md5("1") });
    expect(() => builder.add({ path: "a.b", size: 1, md5: md5("2") })).toThrow("ascending order");
    expect(() => builder.add({ path: "a/b", size: 1, md5: md5("2") })).toThrow("ascending order");
  });

  it("refuses negative or fractional sizes", () => {
    expect(() => new ZarrChecksumBuilder().add({ path: "a", size: -1, md5: md5("") })).toThrow(RangeError);
    expect(() => new ZarrChecksumBuilder().add({ path: "a", size: 1.5, md5: md5("") })).toThrow(RangeError);
  });
});

describe("helpers", () => {
  it("encodes strings as Python's json.dumps", () => {
    expect(pythonJsonString('a"b\\c\n\u007f é 😀')).toBe('"a\\"b\\\\c\\n\\u007f \\u00e9 \\ud83d\\ude00"');
  });

  it("orders by code point, not UTF-16 unit", () => {
    expect("\uFB01" < "😀").toBe(false);
    expect(compareCodePoints("\uFB01", "😀")).toBeLessThan(0);
    expect(compareCodePoints("a", "a/")).toBeLessThan(0);
    expect(compareCodePoints("b", "a")).toBeGreaterThan(0);
  });
});
