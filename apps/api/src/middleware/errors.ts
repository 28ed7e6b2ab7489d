import type { NextFunction, Request, Response } from "express";
import * as Sentry from "@sentry/node";
import { ApiError } from "@dandi/core";
import { UNAVAILABLE_DETAIL, UNAVAILABLE_RETRY_AFTER_SECONDS, unavailableDependency } from "./dependency-unavailable";

/** 404 for any route that nothing answered, in DRF's shape. */
export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(ApiError.notFound());
}

/**
 * The one error handler: ApiError → its status and body; malformed JSON → 400;
 * anything else → 500 with a request id, logged and sent to Sentry.
 */
export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  // The response has started (a download streaming when storage failed, or the client left):
  // a second status line cannot be sent, so the connection is cut and the client sees a
  // truncated body. Only a fault of ours is an error worth reporting.
  if (res.headersSent) {
    const code = (err as { code?: string } | undefined)?.code;
    const clientGone =
      req.destroyed || code === "ECONNRESET" || code === "ECONNABORTED" || code === "ERR_STREAM_PREMATURE_CLOSE";
    if (clientGone) {
      req.log?.debug({ code }, "client went away during the response");
    } else {
      req.log?.error({ err }, "error after the response started");
      Sentry.captureException(err, { tags: { request_id: String(req.id ?? ""), method: req.method } });
    }
    res.destroy();
    return;
  }
  if (err instanceof ApiError) {
    res.status(err.status).set(err.headers).json(err.body);
    return;
  }
  // PostgreSQL restarting or unreachable, Redis under the queues away: 503 + Retry-After, not 500.
  const away = unavailableDependency(err);
  if (away) {
    req.log?.warn({ err, dependency: away }, "dependency unavailable");
    res.status(503).set("Retry-After", String(UNAVAILABLE_RETRY_AFTER_SECONDS)).json({ detail: UNAVAILABLE_DETAIL });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === "entity.parse.failed") {
    res.status(400).json({ detail: `JSON parse error - ${e.message ?? "invalid JSON"}` });
    return;
  }
  if (e?.type === "entity.too.large") {
    res.status(413).json({ detail: "Request body too large." });
    return;
  }
  // The router's "Failed to decode param" (a malformed %-escape in the path).
  if (err instanceof URIError) {
    res.status(400).json({ detail: "Malformed percent-encoding in the URL." });
    return;
  }
  // Other client errors of body-parser (unsupported charset or encoding, aborted body): their own 4xx.
  const status = Number(e?.status);
  if ((err as { expose?: boolean })?.expose && status >= 400 && status < 500) {
    res.status(status).json({ detail: e.message ?? "Bad request." });
    return;
  }
  const requestId = String(req.id ?? "");
  req.log?.error({ err }, "unhandled error");
  // The request id ties the event to the request's log line; the event is scrubbed of secrets (instrument.ts).
  Sentry.captureException(err, {
    tags: { request_id: requestId, method: req.method },
    user: req.user ? { id: String(req.user.id) } : undefined,
  });
  res.status(500).json({ detail: "A server error occurred.", request_id: requestId });
}
