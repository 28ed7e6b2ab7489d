import type { NextFunction, Request, Response } from "express";
import { ApiError, MAX_JSON_DEPTH, findJsonProblem } from "@dandi/core";

/** DRF's ProhibitNullCharactersValidator message. */
export const NUL_MESSAGE = "Null characters are not allowed.";

/** A NUL in a URL: percent-encoded (any case), or raw. */
const URL_NUL_RE = /%00|\0/i;

/**
 * Refuses a NUL character (U+0000) in the path or the query string, before
 * anything reads them: PostgreSQL cannot store NUL in text, and a file system
 * cannot take it in a name. Mounted first, for every route (including /storage).
 */
export function rejectNulInUrl(req: Request, _res: Response, next: NextFunction): void {
  if (URL_NUL_RE.test(req.originalUrl)) throw ApiError.detail(400, NUL_MESSAGE);
  next();
}

/**
 * Refuses a parsed JSON body with a NUL in any string or key at any depth, or
 * nested deeper than MAX_JSON_DEPTH, before it reaches validation, ajv or
 * PostgreSQL (jsonb and text refuse NUL; deep documents overflow recursive code).
 * Mounted once, after the body parser.
 */
export function rejectHostileBody(req: Request, _res: Response, next: NextFunction): void {
  const problem = findJsonProblem(req.body);
  if (problem === "nul") throw ApiError.detail(400, NUL_MESSAGE);
  if (problem === "depth") {
    throw ApiError.detail(400, `JSON parse error - nesting deeper than ${MAX_JSON_DEPTH} levels is not allowed.`);
  }
  next();
}
