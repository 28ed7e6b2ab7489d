import type { NextFunction, Request, Response } from "express";

/**
 * Django's APPEND_SLASH: a slash-less GET/HEAD under /api/ is answered with a 301
 * to the slashed path, keeping the query string. The CLI relies on it
 * (`GET /api/auth/token`). Paths that are exact by design are listed in `exact`.
 */
export function appendSlash(exact: Set<string>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { path } = req;
    if ((req.method === "GET" || req.method === "HEAD") && !path.endsWith("/") && !exact.has(path)) {
      const q = req.originalUrl.indexOf("?");
      const query = q >= 0 ? req.originalUrl.slice(q) : "";
      res.redirect(301, `${req.baseUrl}${path}/${query}`);
      return;
    }
    next();
  };
}
