import * as Sentry from "@sentry/vue";
import type { App } from "vue";
import type { Router } from "vue-router";
// The same scrubbing as the API's and the workers' (a dependency-free file of packages/core).
import { scrubSentryEvent } from "../../../packages/core/src/observability/redact";
import { onServerError } from "./api/client";

/**
 * Error reporting of the web app, loaded (as its own chunk) only when the build has
 * VITE_SENTRY_DSN: Vue errors, uncaught errors and unhandled rejections, and every 5xx of the
 * API tagged with the API's request id (its log line and its own Sentry event carry the same).
 * Events are scrubbed of tokens, cookies and signed URLs before they leave the browser.
 */
export function initSentry(app: App, router: Router, dsn: string, early: unknown[]): void {
  Sentry.init({
    app,
    dsn,
    environment: import.meta.env.VITE_SENTRY_ENVIRONMENT || import.meta.env.MODE,
    release: import.meta.env.VITE_SENTRY_RELEASE || undefined,
    // No user data, cookies, headers, bodies or query strings: beforeSend scrubs what is left.
    dataCollection: { userInfo: false, cookies: false, httpHeaders: false, httpBodies: [], urlQueryParams: false },
    beforeSend: scrubSentryEvent,
    beforeBreadcrumb: scrubSentryEvent,
  });
  router.afterEach((to) => Sentry.setTag("route", String(to.name ?? to.matched[0]?.path ?? "")));
  onServerError(({ status, method, path, requestId }) => {
    Sentry.captureMessage(`API ${method} ${path} answered ${status}`, {
      level: "error",
      tags: { api_status: status, ...(requestId && { api_request_id: requestId }) },
    });
  });
  for (const err of early.splice(0)) Sentry.captureException(err);
}
