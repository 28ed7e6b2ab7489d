/**
 * A block-style YAML emitter for JSON values (what jsonb metadata holds), about
 * ten times faster than js-yaml's dump, which made assets.yaml of a 100,000-asset
 * version the slowest part of the manifests. Every string that a YAML 1.1 or
 * 1.2 reader (PyYAML, js-yaml) could take for anything but that same string is
 * written as a JSON string, which is a valid YAML double-quoted scalar; the rest
 * are plain. Mappings are block mappings, sequences block sequences in PyYAML's
 * indentless style, empty ones `{}` and `[]`.
 */
export function formatYamlDocument(value: unknown): string {
  if (isNonEmptyObject(value)) return mappingBlock(value, "");
  if (isNonEmptyArray(value)) return sequenceBlock(value, "");
  return `${scalar(value)}\n`;
}

/** One entry of a top-level YAML sequence (`- ...`), so a list can be written item by item. */
export function formatYamlSequenceItem(value: unknown): string {
  return sequenceBlock([value], "");
}

/** Plain scalars: a letter first, then only characters that never start a YAML indicator in a block context. */
const PLAIN = /^[A-Za-z_][A-Za-z0-9_ .,/:+()@=-]*$/;
/** Digit-first strings that no YAML reader takes for a number or a date: UUIDs and dotted versions (0.261122.1855). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DOTTED_VERSION = /^[0-9]+(\.[0-9]+){2,}$/;
/** YAML 1.1 booleans and nulls (PyYAML reads them so), compared lower-cased. */
const RESERVED_WORDS = new Set(["y", "n", "yes", "no", "on", "off", "true", "false", "null"]);
/** Characters JSON leaves raw that YAML must see escaped: C1 controls, DEL, NEL, line separators, BOM. */
const YAML_ESCAPES = /[\u007f-\u009f\u2028\u2029\ufeff]/g;

function isNonEmptyObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  for (const k in v) if ((v as Record<string, unknown>)[k] !== undefined) return true;
  return false;
}

function isNonEmptyArray(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0;
}

function mappingBlock(obj: Record<string, unknown>, indent: string): string {
  let out = "";
  for (const k in obj) {
    const v = obj[k];
    if (v === undefined) continue;
    out += indent + string(k) + ":";
    if (isNonEmptyObject(v)) out += "\n" + mappingBlock(v, indent + "  ");
    else if (isNonEmptyArray(v)) out += "\n" + sequenceBlock(v, indent);
    else out += " " + scalar(v) + "\n";
  }
  return out;
}

function sequenceBlock(arr: unknown[], indent: string): string {
  let out = "";
  const inner = indent + "  ";
  for (const v of arr) {
    // A nested block starts on the dash's line: drop its first line's indentation.
    if (isNonEmptyObject(v)) out += indent + "- " + mappingBlock(v, inner).slice(inner.length);
    else if (isNonEmptyArray(v)) out += indent + "- " + sequenceBlock(v, inner).slice(inner.length);
    else out += indent + "- " + scalar(v) + "\n";
  }
  return out;
}

function scalar(v: unknown): string {
  if (typeof v === "string") return string(v);
  if (typeof v === "number") return number(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v)) return "[]";
  if (v !== null && typeof v === "object") return "{}";
  return "null";
}

function number(n: number): string {
  if (!Number.isFinite(n)) return "null";
  const s = String(n);
  // YAML 1.1 floats need a dot: 1e+21 would be read back as a string.
  return /e/.test(s) && !s.includes(".") ? s.replace("e", ".0e") : s;
}

/** Formatted short strings: metadata repeats its keys and many values in every asset. */
const formatted = new Map<string, string>();
const CACHED_LENGTH = 64;
const CACHE_ENTRIES = 4096;

function string(s: string): string {
  if (s.length > CACHED_LENGTH) return formatString(s);
  let out = formatted.get(s);
  if (out === undefined) {
    out = formatString(s);
    if (formatted.size >= CACHE_ENTRIES) formatted.clear();
    formatted.set(s, out);
  }
  return out;
}

function formatString(s: string): string {
  const plain =
    (PLAIN.test(s) &&
      !s.endsWith(" ") &&
      !s.endsWith(":") &&
      !s.includes(": ") &&
      !RESERVED_WORDS.has(s.toLowerCase())) ||
    UUID.test(s) ||
    DOTTED_VERSION.test(s);
  if (plain) return s;
  return JSON.stringify(s).replace(YAML_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
