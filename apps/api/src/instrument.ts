import * as Sentry from "@sentry/node";
import { loadConfigOrExit, sentryNodeOptions } from "@dandi/core";

/**
 * Sentry for the API process, imported first by server.ts so that the SDK is set up before
 * Express and the HTTP server load. Nothing is sent unless SENTRY_DSN is set; events are
 * scrubbed of credentials and signed URLs (see sentryNodeOptions).
 */
Sentry.init(sentryNodeOptions(loadConfigOrExit(), "api"));
