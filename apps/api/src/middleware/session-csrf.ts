import type { Request } from "express";
import { ApiError } from "@dandi/core";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Headers a cross-site form cannot send, and a cross-origin script cannot send without a CORS preflight. */
const CUSTOM_HEADERS = ["x-csrf-token", "x-requested-with"];

/** Origins allowed to make cookie-authenticated writes: the API, the web app and CORS_ALLOWED_ORIGINS. */
export function trustedOrigins(req: Request): Set<string> {
  const { config } = req.deps;
  return new Set([
    new URL(config.DANDI_API_URL).origin,
    new URL(config.DANDI_WEB_APP_URL).origin,
    ...config.CORS_ALLOWED_ORIGINS,
  ]);
}

/**
 * CSRF defence for requests authenticated by the session cookie (SameSite=Lax is
 * the first layer). An unsafe request must come from a trusted Origin when it
 * names one, and otherwise carry a custom header (X-CSRF-Token or
 * X-Requested-With). Token-authenticated requests never reach this check.
 */
export function assertSessionRequestAllowed(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.get("origin");
  if (origin) {
    if (trustedOrigins(req).has(origin)) return;
    throw ApiError.forbidden(
      "CSRF Failed: Origin checking failed - " + origin + " does not match any trusted origins.",
    );
  }
  if (CUSTOM_HEADERS.some((h) => req.get(h))) return;
  throw ApiError.forbidden("CSRF Failed: a trusted Origin or an X-CSRF-Token header is required.");
}
