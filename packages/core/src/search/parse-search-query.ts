import { closestMatch } from "./sequence-ratio";

export const SEARCH_OPERATOR_KEYS = [
  "created_before",
  "created_after",
  "modified_before",
  "modified_after",
  "published_before",
  "published_after",
  "species",
  "approach",
  "technique",
  "file_type",
  "owner",
] as const;

export type TSearchOperatorKey = (typeof SEARCH_OPERATOR_KEYS)[number];

export interface TSearchOperator {
  key: TSearchOperatorKey;
  value: string;
}

export interface TParsedSearch {
  freeText: string[];
  operators: TSearchOperator[];
}

/** A search query the parser rejects; the API answers 400 {"search": message}. */
export class SearchSyntaxError extends Error {}

const MAX_SEARCH_LENGTH = 1024;
const TOKEN_RE = /(?<opKey>[a-z_]+):"(?<opQval>[^"]*)"|"(?<freeQuoted>[^"]*)"|(?<bare>\S+)/g;
const BARE_OP_RE = /^([a-z_]+):(.+)$/s;

function validateOperatorKey(key: string): TSearchOperatorKey {
  if ((SEARCH_OPERATOR_KEYS as readonly string[]).includes(key)) return key as TSearchOperatorKey;
  const suggestion = closestMatch(key, SEARCH_OPERATOR_KEYS);
  const hint = suggestion ? ` Did you mean "${suggestion}"?` : "";
  throw new SearchSyntaxError(
    `Unknown search operator "${key}".${hint} ` +
      'Wrap the term in double quotes (e.g. "foo:bar") to search for it as text.',
  );
}

/**
 * DANDI's Gmail-style search parser (services/search/parser.py): `key:"value"`,
 * `"quoted free text"`, `key:value` and bare words. Null bytes are stripped
 * first, as DANDI's search filter does.
 */
export function parseSearchQuery(raw: string): TParsedSearch {
  const query = raw.replaceAll("\0", "");
  const parsed: TParsedSearch = { freeText: [], operators: [] };
  if (!query) return parsed;
  // Python's len() counts code points.
  const length = [...query].length;
  if (length > MAX_SEARCH_LENGTH) {
    throw new SearchSyntaxError(`Search query is too long (${length} characters; max ${MAX_SEARCH_LENGTH}).`);
  }
  if ((query.match(/"/g)?.length ?? 0) % 2 !== 0) {
    throw new SearchSyntaxError(
      "Unbalanced quote in search query. Remove the stray quote, or wrap the intended phrase in matched quotes.",
    );
  }
  for (const match of query.matchAll(TOKEN_RE)) {
    const { opKey, opQval, freeQuoted, bare } = match.groups!;
    if (opKey !== undefined) {
      parsed.operators.push({ key: validateOperatorKey(opKey), value: opQval! });
    } else if (freeQuoted !== undefined) {
      parsed.freeText.push(freeQuoted);
    } else {
      const op = BARE_OP_RE.exec(bare!);
      if (op) parsed.operators.push({ key: validateOperatorKey(op[1]!), value: op[2]! });
      else parsed.freeText.push(bare!);
    }
  }
  return parsed;
}
