import { Prisma, type Db } from "@dandi/db";
import { SearchSyntaxError, type TParsedSearch } from "./parse-search-query";

const FILE_TYPE_ALIASES: Record<string, string> = {
  nwb: "application/x-nwb",
  image: "image/",
  text: "text/",
  video: "video/",
};

const SUMMARY_PATHS = {
  species: "$.assetsSummary.species[*].name",
  approach: "$.assetsSummary.approach[*].name",
  technique: "$.assetsSummary.measurementTechnique[*].name",
} as const;

/** LIKE pattern escaping, as Django's icontains does. */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The longest word the token postings answer: a token longer than 200 characters
 * is stored as pieces of 200 starting every 100 (dandi_search_tokens, migration
 * 20261201224600), which hold every substring of up to 101 characters.
 */
const MAX_TOKEN_WORD_LENGTH = 100;

/**
 * Whether a word is plain ASCII letters and digits once accents are removed,
 * and short enough: such a word lies within one token (maximal alphanumeric
 * run, or piece of a long one) of any text it occurs in, so the token postings
 * answer it exactly.
 */
function isTokenWord(word: string): boolean {
  return word.length <= MAX_TOKEN_WORD_LENGTH && /^[A-Za-z0-9]+$/.test(word.normalize("NFD").replace(/\p{M}/gu, ""));
}

/** The free-text words of a search that the token postings answer. */
export function tokenWords(parsed: TParsedSearch): string[] {
  return parsed.freeText.filter(isTokenWord);
}

/**
 * How a free-text word answered by the search tokens restricts `d`:
 * - "lookup": the ids of the dandisets that have one of its tokens are collected
 *   first (an InitPlan) and looked up by id; best when few dandisets match.
 * - "bitmap": each row of `d` is tested against the union of its tokens' bitmaps
 *   (search_token_stats.bitmap, one bit per dandiset), asking the postings only for the
 *   tokens without a bitmap and for the dandisets changed since the bitmaps were
 *   last folded (search_bitmap_dirty, migration 20261122233000); best when most
 *   dandisets match, and what lets a page walk the list order and stop after
 *   `limit` rows.
 */
export type TFreeTextStrategy = "lookup" | "bitmap";

/** A free-text word's tokens (the vocabulary entries it is a substring of). */
export interface TResolvedWord {
  /** Ids of its tokens that keep a bitmap. */
  bitmapTokens: string[];
  /** Ids of its other tokens, answered by their postings. */
  postingTokens: string[];
  /** How many dandisets have one of its tokens, at most (the tokens' df as of the last fold). */
  df: number;
}

export interface BuildSearchFilterOptions {
  /** The words' tokens (resolveSearchWords); a word missing here looks its tokens up inline. */
  words?: ReadonlyMap<string, TResolvedWord>;
  /** The strategy of every resolved word; by default chosen per word from its df. */
  freeText?: TFreeTextStrategy;
}

/** Above this many matching dandisets a word is tested per row (bitmap) rather than looked up by id. */
export const LOOKUP_MAX_MATCHES = 1000;

function tokenIds(ids: string[]): Prisma.Sql {
  return Prisma.sql`${ids}::bigint[]`;
}

/** A resolved word as a condition on `d`. */
function resolvedWordCondition(word: TResolvedWord, strategy: TFreeTextStrategy): Prisma.Sql {
  if (strategy === "lookup") {
    return Prisma.sql`d.id = ANY (ARRAY(SELECT DISTINCT p.dandiset_id FROM dandiset_search_tokens p
      WHERE p.token_id = ANY (${tokenIds([...word.bitmapTokens, ...word.postingTokens])})))`;
  }
  // The bitmap union is an InitPlan (one bit_or over a few rows); dandisets changed
  // since the last fold, and tokens without a bitmap, are answered by the postings,
  // which are always exact. Both IN subqueries are hashed once per statement; the
  // LIMITed lateral probes the postings of each dirty dandiset by the primary key
  // instead of reading every posting of the word's common tokens.
  const union = Prisma.sql`(SELECT bit_or(s.bitmap) FROM search_token_stats s WHERE s.token_id = ANY (${tokenIds(word.bitmapTokens)}))`;
  return Prisma.sql`(CASE WHEN d.id < length(${union})
      THEN get_bit(${union}, d.id) = 1 AND d.id NOT IN (SELECT x.dandiset_id FROM search_bitmap_dirty x)
      ELSE false END
    OR d.id IN (SELECT p.dandiset_id FROM dandiset_search_tokens p WHERE p.token_id = ANY (${tokenIds(word.postingTokens)})
      UNION ALL
      SELECT x.dandiset_id FROM search_bitmap_dirty x
      CROSS JOIN LATERAL (SELECT 1 FROM dandiset_search_tokens p
        WHERE p.token_id = ANY (${tokenIds(word.bitmapTokens)}) AND p.dandiset_id = x.dandiset_id LIMIT 1) AS has))`;
}

/**
 * The tokens of each word (isTokenWord) of a search, in one statement: for each,
 * the matching vocabulary entries split by whether they keep a bitmap, and their df.
 */
export async function resolveSearchWords(db: Db, words: string[]): Promise<Map<string, TResolvedWord>> {
  const unique = [...new Set(words)];
  const resolved = new Map<string, TResolvedWord>();
  if (!unique.length) return resolved;
  const selects = unique.map(
    (word, i) => Prisma.sql`SELECT ${i}::integer AS i,
      coalesce(array_agg(st.id::text) FILTER (WHERE s.bitmap IS NOT NULL), '{}') AS bitmap_tokens,
      coalesce(array_agg(st.id::text) FILTER (WHERE s.bitmap IS NULL), '{}') AS posting_tokens,
      coalesce(sum(s.df), 0)::integer AS df
      FROM search_tokens st LEFT JOIN search_token_stats s ON s.token_id = st.id
      WHERE st.token LIKE '%' || lower(public.unaccent(${word})) || '%'`,
  );
  const rows = await db.$queryRaw<{ i: number; bitmap_tokens: string[]; posting_tokens: string[]; df: number }[]>`
    ${Prisma.join(selects, " UNION ALL ")}`;
  for (const row of rows) {
    resolved.set(unique[row.i]!, { bitmapTokens: row.bitmap_tokens, postingTokens: row.posting_tokens, df: row.df });
  }
  return resolved;
}

/** Python's re.escape, for the jsonpath like_regex value. */
function escapeRegex(value: string): string {
  return value.replace(/[^A-Za-z0-9_]/g, (c) => (/\s/.test(c) && c !== " " ? c : `\\${c}`));
}

function parseDate(operator: string, value: string): Date {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !date || date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) {
    throw new SearchSyntaxError(`Invalid date for "${operator}": '${value}'. Use YYYY-MM-DD.`);
  }
  return date;
}

/**
 * SQL conditions on `d` (the dandisets table) for a parsed search, ANDed:
 * free text over any version's metadata (versions.search_text, the stored
 * dandi_search_text, through its trigram index), and DANDI's operators. Throws SearchSyntaxError on bad values.
 */
export function buildSearchFilter(parsed: TParsedSearch, options: BuildSearchFilterOptions = {}): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  const summary: Prisma.Sql[] = [];
  for (const { key, value: rawValue } of parsed.operators) {
    const value = rawValue.trim();
    if (!value) throw new SearchSyntaxError(`Operator "${key}" requires a value (e.g. ${key}:something).`);
    switch (key) {
      case "created_before":
        conditions.push(Prisma.sql`d.created < ${parseDate(key, value)}`);
        break;
      case "created_after":
        conditions.push(Prisma.sql`d.created >= ${parseDate(key, value)}`);
        break;
      case "modified_before":
      case "modified_after": {
        const op = key === "modified_before" ? Prisma.sql`<` : Prisma.sql`>=`;
        conditions.push(
          Prisma.sql`(SELECT lv.modified FROM versions lv WHERE lv.dandiset_id = d.id ORDER BY lv.created DESC, lv.id DESC LIMIT 1) ${op} ${parseDate(key, value)}`,
        );
        break;
      }
      case "published_before":
      case "published_after": {
        const op = key === "published_before" ? Prisma.sql`<` : Prisma.sql`>=`;
        conditions.push(
          Prisma.sql`(SELECT pv.created FROM versions pv WHERE pv.dandiset_id = d.id AND pv.version <> 'draft' ORDER BY pv.created DESC LIMIT 1) ${op} ${parseDate(key, value)}`,
        );
        break;
      }
      case "species":
      case "approach":
      case "technique": {
        const path = `${SUMMARY_PATHS[key]} ? (@ like_regex ${JSON.stringify(escapeRegex(value))} flag "i")`;
        summary.push(Prisma.sql`jsonb_path_exists(sv.metadata, ${path}::jsonpath)`);
        break;
      }
      case "file_type": {
        const prefix = FILE_TYPE_ALIASES[value.toLowerCase()] ?? value;
        conditions.push(Prisma.sql`EXISTS (
          SELECT 1 FROM versions fv
          JOIN version_assets fva ON fva.version_id = fv.id
          JOIN assets fa ON fa.id = fva.asset_id
          WHERE fv.dandiset_id = d.id AND lower(fa.metadata->>'encodingFormat') LIKE ${`${escapeLike(prefix.toLowerCase())}%`})`);
        break;
      }
      case "owner":
        conditions.push(Prisma.sql`d.id IN (
          SELECT o.dandiset_id FROM dandiset_owners o JOIN users u ON u.id = o.user_id
          WHERE lower(u.github_login) = lower(${value}) OR lower(u.email) = lower(${value})
             OR lower(u.first_name) = lower(${value}) OR lower(u.last_name) = lower(${value})
             OR lower(u.first_name || ' ' || u.last_name) = lower(${value}))`);
        break;
    }
  }
  if (summary.length) {
    // All summary clauses must hold on the same version, as DANDI's.
    conditions.push(
      Prisma.sql`d.id IN (SELECT sv.dandiset_id FROM versions sv WHERE ${Prisma.join(summary, " AND ")})`,
    );
  }
  for (const word of parsed.freeText) {
    const resolved = isTokenWord(word) ? options.words?.get(word) : undefined;
    if (resolved) {
      conditions.push(
        resolvedWordCondition(resolved, options.freeText ?? (resolved.df <= LOOKUP_MAX_MATCHES ? "lookup" : "bitmap")),
      );
    } else if (isTokenWord(word)) {
      // ARRAY(...) runs once (an InitPlan): the planner cannot misjudge a semi-join
      // against postings whose match count it underestimates by orders of magnitude.
      conditions.push(Prisma.sql`d.id = ANY (ARRAY(
        SELECT DISTINCT p.dandiset_id FROM dandiset_search_tokens p JOIN search_tokens st ON st.id = p.token_id
        WHERE st.token LIKE '%' || lower(public.unaccent(${word})) || '%'))`);
    } else {
      conditions.push(
        Prisma.sql`d.id = ANY (ARRAY(SELECT DISTINCT tv.dandiset_id FROM versions tv WHERE tv.search_text LIKE '%' || lower(public.unaccent(${escapeLike(word)})) || '%'))`,
      );
    }
  }
  return conditions;
}
