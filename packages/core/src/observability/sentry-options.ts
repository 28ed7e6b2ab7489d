import type { TConfig } from "../config";
import { scrubSentryEvent } from "./redact";

/**
 * The Sentry settings of every Node process (API and workers), from the same settings a
 * deployment sets: SENTRY_DSN (unset: nothing is sent), SENTRY_ENVIRONMENT (default
 * NODE_ENV), SENTRY_RELEASE (default: the SDK's own detection, e.g. Heroku's SOURCE_VERSION).
 * No PII by default, and every event, transaction and breadcrumb is scrubbed of secrets.
 */
export function sentryNodeOptions(config: TConfig, processName: string) {
  return {
    dsn: config.SENTRY_DSN,
    enabled: !!config.SENTRY_DSN,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    release: config.SENTRY_RELEASE,
    serverName: processName,
    sendDefaultPii: false,
    tracesSampleRate: config.SENTRY_TRACES_SAMPLE_RATE,
    initialScope: { tags: { process: processName } },
    beforeSend: scrubSentryEvent,
    beforeSendTransaction: scrubSentryEvent,
    beforeBreadcrumb: scrubSentryEvent,
  };
}
