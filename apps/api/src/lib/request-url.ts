import type { Request } from "express";

/**
 * The absolute URL the client used, honouring X-Forwarded-Proto/Host through
 * Express's `trust proxy` (req.protocol, req.host).
 */
export function absoluteRequestUrl(req: Request): URL {
  return new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
}
