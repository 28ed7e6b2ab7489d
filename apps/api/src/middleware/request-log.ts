import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import { redactText } from "@dandi/core";
import { runWithRequestId } from "@dandi/jobs";

/** An incoming X-Request-Id (Heroku's router sets a UUID) is kept only if it looks like one. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const ROUTE = Symbol("route template");

/** The request id: the proxy's X-Request-Id when sane, else a new UUID; echoed in the response. */
export function requestIdOf(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers["x-request-id"];
  const id = typeof incoming === "string" && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", id);
  return id;
}

/**
 * Records the route template (`/api/dandisets/:dandiset_id/`) when Express matches a route:
 * the router sets `req.route` with `req.baseUrl` still that of the matching router, which it
 * no longer is once an error has left the router.
 */
function recordRoute(req: Request, _res: Response, next: NextFunction): void {
  let route: unknown;
  Object.defineProperty(req, "route", {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: { path?: unknown } | undefined) {
      route = value;
      if (value && typeof value.path === "string") {
        (req as unknown as Record<symbol, string>)[ROUTE] = `${req.baseUrl}${value.path}`;
      }
    },
  });
  next();
}

function requestLine(req: IncomingMessage, res: ServerResponse, durationMs: number) {
  const r = req as Request;
  const location = res.getHeader("location");
  return {
    method: req.method,
    route: (r as unknown as Record<symbol, string | undefined>)[ROUTE] ?? null,
    url: redactText(r.originalUrl ?? req.url ?? ""),
    status: res.statusCode,
    duration_ms: durationMs,
    user_id: r.user?.id ?? null,
    // Where a redirect points (a download's presigned URL), with its signature removed.
    ...(typeof location === "string" && { location: redactText(location) }),
  };
}

/**
 * One JSON line per request at `info` (`error` for a 5xx): req_id, method, route template,
 * url and redirect location without query signatures, status, duration_ms, user_id; no
 * headers, cookies or bodies. `req.log` is a child logger carrying `req_id`, and the jobs a
 * request queues carry the id too (runWithRequestId).
 */
export function requestLogging(logger: Logger) {
  const log = pinoHttp({
    logger,
    genReqId: requestIdOf,
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: "req_id" },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
    customSuccessMessage: () => "request",
    customErrorMessage: () => "request",
    customSuccessObject: (req, res, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
    customErrorObject: (req, res, _err, val: { responseTime: number }) => requestLine(req, res, val.responseTime),
  });
  return [
    log,
    recordRoute,
    (req: Request, _res: Response, next: NextFunction) => runWithRequestId(String(req.id), next),
  ];
}
