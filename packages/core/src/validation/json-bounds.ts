import { ApiError } from "../errors";

/** No request body or metadata document may nest deeper than this (DANDI's schemas need about 8 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * What is wrong with a parsed JSON value, if anything: a NUL character (U+0000)
 * in a string or a key, or nesting deeper than `maxDepth` (a scalar is depth 0,
 * `[]` and `{}` depth 1). Iterative, so that a hostile document cannot overflow
 * the stack; stops at the first problem.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): "nul" | "depth" | undefined {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes("\0")) return "nul";
    } else if (typeof v === "object" && v !== null) {
      if (depth + 1 > maxDepth) return "depth";
      if (Array.isArray(v)) {
        for (const item of v) stack.push([item, depth + 1]);
      } else {
        for (const [key, item] of Object.entries(v)) {
          if (key.includes("\0")) return "nul";
          stack.push([item, depth + 1]);
        }
      }
    }
  }
  return undefined;
}

/** The largest metadata document (dandiset or asset), as JSON text. DANDI's largest are a few hundred KB. */
export const MAX_METADATA_CHARS = 1024 * 1024;

/**
 * The most text a document may add to the search vocabulary: the total length
 * of its distinct words (alphanumeric runs, a run over 200 characters counted
 * as the overlapping pieces it is stored as, migration 20261201224600). Every
 * new word is a row of search_tokens under a trigram index, and inserting them
 * costs about 5-40 microseconds per character, so this bounds a save to a few
 * seconds at worst. A 10,000-character description has at most 10,000; DANDI's
 * largest dandisets (hundreds of contributors) a few tens of thousands.
 */
export const MAX_METADATA_VOCABULARY_CHARS = 50_000;

/** The total length of the distinct search tokens of a metadata document, as the search text splits it. */
export function metadataVocabularyChars(json: string): number {
  const words = new Set<string>();
  for (const word of json
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .split(/[^\p{L}\p{N}]+/u)) {
    if (word.length <= 200) {
      words.add(word);
    } else {
      // The pieces dandi_search_tokens stores: 200 characters from the start and from the 101st.
      for (const piece of word.match(/.{1,200}/gsu) ?? []) words.add(piece);
      for (const piece of word.slice(100).match(/.{1,200}/gsu) ?? []) words.add(piece);
    }
  }
  let total = 0;
  for (const word of words) total += word.length;
  return total;
}

/** The longest string anywhere in a metadata document (the schema's longest field, description, allows 10,000). */
export const MAX_METADATA_STRING_CHARS = 100_000;

function longestString(value: unknown): { path: string; length: number } | undefined {
  const stack: [unknown, string][] = [[value, ""]];
  let longest: { path: string; length: number } | undefined;
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      if (v.length > (longest?.length ?? MAX_METADATA_STRING_CHARS)) longest = { path, length: v.length };
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
    } else if (typeof v === "object" && v !== null) {
      for (const [key, item] of Object.entries(v)) {
        if (key.length > (longest?.length ?? MAX_METADATA_STRING_CHARS))
          longest = { path: path ? `a key of ${path}` : "a key", length: key.length };
        stack.push([item, path ? `${path}.${key}` : key]);
      }
    }
  }
  return longest;
}

/**
 * The transaction of a dandiset metadata save: the search token triggers of a
 * document at the bounds above may take a few seconds on a busy database, more
 * than Prisma's default of 5 s for an interactive transaction.
 */
export const METADATA_SAVE_TRANSACTION_OPTIONS = { timeout: 30_000 } as const;

/** How deep a metadata document may nest (a request body may nest MAX_JSON_DEPTH). */
export const MAX_METADATA_DEPTH = 32;

/**
 * Bounds a metadata document before it is stored: no NUL, at most
 * MAX_METADATA_DEPTH levels, at most MAX_METADATA_CHARS of JSON, no string over
 * MAX_METADATA_STRING_CHARS, at most MAX_METADATA_VOCABULARY_CHARS of distinct words. Stored metadata feeds the search text and its
 * indexes, so an unbounded document costs every later save and search.
 * Throws a 400 {"detail": ...} naming the problem.
 */
export function assertMetadataBounds(metadata: unknown): void {
  const problem = findJsonProblem(metadata, MAX_METADATA_DEPTH);
  if (problem === "nul") throw ApiError.detail(400, "Null characters are not allowed.");
  if (problem === "depth") {
    throw ApiError.detail(400, `Metadata may not nest deeper than ${MAX_METADATA_DEPTH} levels.`);
  }
  const long = longestString(metadata);
  if (long) {
    throw ApiError.detail(
      400,
      `Metadata strings may have at most ${MAX_METADATA_STRING_CHARS} characters; ${long.path || "the document"} has ${long.length}.`,
    );
  }
  const json = JSON.stringify(metadata) ?? "";
  if (json.length > MAX_METADATA_CHARS) {
    throw ApiError.detail(
      400,
      `Metadata may be at most ${MAX_METADATA_CHARS} characters of JSON; this has ${json.length}.`,
    );
  }
  const vocabulary = metadataVocabularyChars(json);
  if (vocabulary > MAX_METADATA_VOCABULARY_CHARS) {
    throw ApiError.detail(
      400,
      `Metadata has too many distinct words: together they may have at most ${MAX_METADATA_VOCABULARY_CHARS} characters; these have ${vocabulary}.`,
    );
  }
}

/**
 * The longest value, in UTF-8 bytes, of an asset metadata field that the asset
 * search keeps in a btree or GIN index (asset_search, migration
 * 20261122193000): index entries may not exceed about 2,700 bytes. The schema
 * allows at most 1,000 characters in these fields.
 */
export const MAX_INDEXED_FIELD_BYTES = 2000;

/** assertMetadataBounds, and the fields the asset search indexes within index limits. */
export function assertAssetMetadataBounds(metadata: Record<string, unknown>): void {
  assertMetadataBounds(metadata);
  const attributed = Array.isArray(metadata.wasAttributedTo) ? (metadata.wasAttributedTo[0] as unknown) : undefined;
  const subject = typeof attributed === "object" && attributed !== null ? (attributed as Record<string, unknown>) : {};
  const species = typeof subject.species === "object" && subject.species !== null ? subject.species : {};
  const techniques = Array.isArray(metadata.measurementTechnique) ? (metadata.measurementTechnique as unknown[]) : [];
  const fields: [string, unknown][] = [
    ["encodingFormat", metadata.encodingFormat],
    ["wasAttributedTo[0].species.name", (species as Record<string, unknown>).name],
    ["wasAttributedTo[0].genotype", subject.genotype],
    ...techniques.map((t, i): [string, unknown] => [
      `measurementTechnique[${i}].name`,
      typeof t === "object" && t !== null ? (t as Record<string, unknown>).name : undefined,
    ]),
  ];
  for (const [path, value] of fields) {
    if (typeof value === "string" && Buffer.byteLength(value) > MAX_INDEXED_FIELD_BYTES) {
      throw ApiError.detail(400, `Metadata field ${path} may have at most ${MAX_INDEXED_FIELD_BYTES} bytes.`);
    }
  }
}
