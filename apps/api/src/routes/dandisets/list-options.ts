import type { Request } from "express";
import { ApiError, SearchSyntaxError, type ListDandisetsOptions, type TDandisetOrderField } from "@dandi/core";
import { readPageParams, type PageParams } from "../../lib/pagination";
import { parseOrThrow, parseQueryBoolean } from "../../lib/validate";
import { ZListDandisetsQuerySchema } from "./dandisets.schemas";

const ORDER_FIELDS = new Set<string>(["id", "name", "modified", "size", "stars"]);

/** DRF OrderingFilter: the first valid field of a comma-separated list, else the default. */
function parseOrdering(value: string | undefined): { field: TDandisetOrderField; descending: boolean } | undefined {
  for (const term of (value ?? "").split(",").map((t) => t.trim())) {
    const field = term.replace(/^-/, "");
    if (ORDER_FIELDS.has(field)) return { field: field as TDandisetOrderField, descending: term.startsWith("-") };
  }
  return undefined;
}

/**
 * The query parameters shared by GET /api/dandisets/ and /api/dandisets/search/
 * (dandi-api.md §7), validated as DRF does, with the page they ask for.
 */
export function readListDandisetsOptions(req: Request): { options: ListDandisetsOptions; page: PageParams } {
  const query = parseOrThrow(ZListDandisetsQuerySchema, req.query);
  const embargoed = parseQueryBoolean(query.embargoed, "embargoed") ?? false;
  const starred = parseQueryBoolean(query.starred, "starred") ?? false;
  if (query.user !== undefined && query.user !== "me") {
    throw ApiError.fields({ user: [`"${query.user}" is not a valid choice.`] });
  }
  if (embargoed && !req.user) {
    throw ApiError.string(
      401,
      "Authentication credentials must be provided when attempting to access embargoed dandisets",
    );
  }
  if (starred && !req.user) throw ApiError.string(401, "Must be authenticated to filter by starred dandisets.");
  const page = readPageParams(req);
  const options: ListDandisetsOptions = {
    db: req.deps.prisma,
    user: req.user,
    draft: parseQueryBoolean(query.draft, "draft") ?? true,
    empty: parseQueryBoolean(query.empty, "empty") ?? true,
    embargoed,
    mine: query.user === "me",
    starred,
    search: query.search,
    ordering: parseOrdering(query.ordering),
    offset: page.offset,
    limit: page.pageSize,
  };
  return { options, page };
}

/** Runs a list query; a bad `search` becomes DANDI's 400 {"search": "<message>"} (a string, not a list). */
export async function withSearchErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw new ApiError(400, { search: err.message });
    throw err;
  }
}
