import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { ApiError } from "@dandi/core";

/** One body size rule: requests whose method and /api-relative path match may send up to `limit` bytes. */
export interface TBodyLimit {
  methods: string[];
  path: RegExp;
  limit: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/** Most bodies are a few fields: a name, an id, a digest. */
export const DEFAULT_BODY_LIMIT = 64 * KiB;

/**
 * The routes that take more than a few KB. Metadata documents (a dandiset's or an
 * asset's) get a few MB, lists of parts or zarr paths (at most 10,000 parts or
 * 1,000 paths of 512 characters) get 2 MB. Paths are relative to /api, with the
 * trailing slash the routes have.
 */
export const BODY_LIMITS: TBodyLimit[] = [
  { methods: ["POST"], path: /^\/dandisets\/$/, limit: 4 * MiB },
  { methods: ["PUT"], path: /^\/dandisets\/[^/]+\/versions\/[^/]+\/$/, limit: 4 * MiB },
  { methods: ["POST", "PUT"], path: /^\/dandisets\/[^/]+\/versions\/[^/]+\/assets\/(?:[^/]+\/)?$/, limit: 4 * MiB },
  { methods: ["POST"], path: /^\/uploads\/[^/]+\/complete\/$/, limit: 2 * MiB },
  { methods: ["POST", "DELETE"], path: /^\/zarr\/[^/]+\/files\/$/, limit: 2 * MiB },
];

/**
 * JSON (and form) body parsing with a size limit per route. Mounted after authentication
 * and the approved-or-read-only check, so that a request refused there (an
 * anonymous write) is answered without its body ever being read; a body longer
 * than its route's limit is a 413, answered from Content-Length before reading
 * when the client sends one, and otherwise as soon as the limit is passed.
 */
export function parseJsonBody(rules: TBodyLimit[] = BODY_LIMITS, defaultLimit = DEFAULT_BODY_LIMIT): RequestHandler {
  const parsers = new Map<number, RequestHandler>();
  const parserFor = (limit: number): RequestHandler => {
    let parser = parsers.get(limit);
    if (!parser) {
      // Form bodies (the questionnaire form) too, so that the checks after parsing see every body.
      const json = express.json({ limit, strict: false });
      const form = express.urlencoded({ extended: false, limit });
      parser = (req, res, next) => json(req, res, (err?: unknown) => (err ? next(err) : form(req, res, next)));
      parsers.set(limit, parser);
    }
    return parser;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const rule = rules.find((r) => r.methods.includes(req.method) && r.path.test(req.path));
    const limit = rule?.limit ?? defaultLimit;
    // body-parser would read (and drop) a body announced too long before answering: answer now.
    if (Number(req.get("content-length")) > limit) throw ApiError.detail(413, "Request body too large.");
    return parserFor(limit)(req, res, next);
  };
}
