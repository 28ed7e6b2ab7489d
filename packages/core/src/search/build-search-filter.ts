import { Prisma } from "@dandi/db";
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
 * Whether a word is plain ASCII letters and digits once accents are removed:
 * such a word lies within one token (maximal alphanumeric run) of any text it
 * occurs in, so the token postings answer it exactly.
 */
function isTokenWord(word: string): boolean {
  return /^[A-Za-z0-9]+$/.test(word.normalize("NFD").replace(/\p{M}/gu, ""));
}

/** The free-text words of a search that the token postings answer. */
export function tokenWords(parsed: TParsedSearch): string[] {
  return parsed.freeText.filter(isTokenWord);
}

/**
 * How a free-text word answered by the token postings restricts `d`:
 * - "lookup": the matching ids are collected first (an InitPlan) and looked up
 *   by id; best when few dandisets match.
 * - "scan": a semi-join against the postings, which the planner runs as a hash
 *   join (counting) or as a probe per row while walking the list's order
 *   (a page that stops after `limit` rows); best when most dandisets match.
 */
export type TFreeTextStrategy = "lookup" | "scan";

export interface BuildSearchFilterOptions {
  /** Default "lookup". */
  freeText?: TFreeTextStrategy;
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
    if (isTokenWord(word) && options.freeText === "scan") {
      // Same result as the LIKE below, through the token vocabulary and its postings.
      // The matching token ids are an InitPlan (a handful of rows), the postings a semi-join.
      conditions.push(Prisma.sql`d.id IN (SELECT p.dandiset_id FROM dandiset_search_tokens p
        WHERE p.token_id = ANY (ARRAY(SELECT st.id FROM search_tokens st
          WHERE st.token LIKE '%' || lower(public.unaccent(${word})) || '%')))`);
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
