import { createHash } from "node:crypto";

/**
 * The zarr checksum of DANDI (Python package `zarr_checksum`, also dandischema's
 * `dandi:dandi-zarr-checksum`), byte for byte: every directory is hashed as
 * md5 of the compact JSON `{"directories":[…],"files":[…]}` of its direct
 * entries `{digest,name,size}`, each list sorted by name (code points, as
 * Python sorts str), encoded as Python's `json.dumps` does by default
 * (ASCII only). A directory's digest reads `{md5}-{files below}--{bytes below}`;
 * a file's digest is its md5 hex (its S3 ETag). The root's digest is the checksum.
 */

/** A file of the zarr: its path relative to the zarr root, size and md5 hex. */
export interface ZarrChecksumFile {
  path: string;
  size: number;
  /** md5 hex of the content (an S3 single-part ETag; surrounding quotes are dropped). */
  md5: string;
}

/** The parsed parts of a zarr checksum. */
export interface ZarrDirectoryDigest {
  md5: string;
  count: number;
  size: number;
  /** `{md5}-{count}--{size}`. */
  digest: string;
}

interface Entry {
  digest: string;
  name: string;
  size: number;
}

interface OpenDirectory {
  name: string;
  directories: Entry[];
  files: Entry[];
  count: number;
  size: number;
}

/** `json.dumps(s)` with Python's default `ensure_ascii=True`: only printable ASCII stays as is. */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x22) out += '\\"';
    else if (code === 0x5c) out += "\\\\";
    else if (code >= 0x20 && code <= 0x7e) out += value[i];
    else if (code === 0x0a) out += "\\n";
    else if (code === 0x0d) out += "\\r";
    else if (code === 0x09) out += "\\t";
    else if (code === 0x08) out += "\\b";
    else if (code === 0x0c) out += "\\f";
    // UTF-16 code units, so characters beyond the BMP come out as surrogate pairs, as in Python.
    else out += "\\u" + code.toString(16).padStart(4, "0");
  }
  return out + '"';
}

/**
 * Orders strings by Unicode code point, as Python compares str (JavaScript's
 * `<` compares UTF-16 units, which differs once surrogate pairs are involved).
 * This is also the byte order of their UTF-8 encodings, S3's listing order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (U+D800–DFFF) above U+E000–FFFF so that pairs sort after every BMP unit.
    if (x >= 0xd800 && y >= 0xd800) {
      x += x >= 0xe000 ? -0x800 : 0x2000;
      y += y >= 0xe000 ? -0x800 : 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const byName = (a: Entry, b: Entry) => compareCodePoints(a.name, b.name);

function entryJson(entry: Entry): string {
  return `{"digest":${pythonJsonString(entry.digest)},"name":${pythonJsonString(entry.name)},"size":${entry.size}}`;
}

function digestDirectory(directory: OpenDirectory): ZarrDirectoryDigest {
  directory.directories.sort(byName);
  directory.files.sort(byName);
  const json =
    `{"directories":[${directory.directories.map(entryJson).join(",")}],` +
    `"files":[${directory.files.map(entryJson).join(",")}]}`;
  const md5 = createHash("md5").update(json, "utf8").digest("hex");
  const { count, size } = directory;
  return { md5, count, size, digest: `${md5}-${count}--${size}` };
}

function openDirectory(name: string): OpenDirectory {
  return { name, directories: [], files: [], count: 0, size: 0 };
}

/**
 * The path's components as Python's `pathlib.PurePosixPath` keeps them: empty
 * and "." components dropped ("a//b/./c" → a, b, c).
 */
function pathParts(path: string): string[] {
  const parts = path.split("/").filter((part) => part !== "" && part !== ".");
  return parts.length > 0 ? parts : [""];
}

/**
 * Computes a zarr checksum from files fed in ascending path order (S3's listing
 * order), holding only the directories on the current path in memory: a
 * directory is digested and folded into its parent as soon as the listing
 * leaves it. Throws when a path does not come after the previous one.
 */
export class ZarrChecksumBuilder {
  private readonly stack: OpenDirectory[] = [openDirectory("")];
  private previous: string | null = null;

  /** Number of files added so far. */
  get count(): number {
    return this.stack.reduce((n, d) => n + d.count, 0);
  }

  /** Total bytes of the files added so far. */
  get size(): number {
    return this.stack.reduce((n, d) => n + d.size, 0);
  }

  add(file: ZarrChecksumFile): this {
    if (!Number.isSafeInteger(file.size) || file.size < 0) throw new RangeError(`Bad size for ${file.path}.`);
    const parts = pathParts(file.path);
    const normalized = parts.join("/");
    if (this.previous !== null && compareCodePoints(normalized, this.previous) <= 0) {
      throw new Error(`Zarr files must be listed in ascending order: "${normalized}" after "${this.previous}".`);
    }
    this.previous = normalized;
    const folders = parts.slice(0, -1);
    // Keep the open directories this file shares; close the rest, deepest first.
    let shared = 0;
    while (
      shared < folders.length &&
      shared + 1 < this.stack.length &&
      this.stack[shared + 1]!.name === folders[shared]
    ) {
      shared++;
    }
    this.closeDownTo(shared + 1);
    for (const folder of folders.slice(shared)) this.stack.push(openDirectory(folder));
    const directory = this.stack.at(-1)!;
    directory.files.push({ digest: file.md5.replace(/^"|"$/g, ""), name: parts.at(-1)!, size: file.size });
    directory.count += 1;
    directory.size += file.size;
    return this;
  }

  /** Closes the zarr and returns its checksum (the empty checksum when no file was added). */
  digest(): ZarrDirectoryDigest {
    this.closeDownTo(1);
    return digestDirectory(this.stack[0]!);
  }

  private closeDownTo(depth: number): void {
    while (this.stack.length > depth) {
      const directory = this.stack.pop()!;
      const parent = this.stack.at(-1)!;
      const { digest, count, size } = digestDirectory(directory);
      parent.directories.push({ digest, name: directory.name, size });
      parent.count += count;
      parent.size += size;
    }
  }
}

/** The checksum of a list of files, in any order (sorted here). */
export function computeZarrChecksum(files: Iterable<ZarrChecksumFile>): ZarrDirectoryDigest {
  const sorted = [...files].sort((a, b) => compareCodePoints(pathParts(a.path).join("/"), pathParts(b.path).join("/")));
  const builder = new ZarrChecksumBuilder();
  for (const file of sorted) builder.add(file);
  return builder.digest();
}

/** The checksum of a zarr with no files: `481a2f77ab786a0f45aafd5db0971caa-0--0`. */
export const EMPTY_ZARR_CHECKSUM = new ZarrChecksumBuilder().digest().digest;
