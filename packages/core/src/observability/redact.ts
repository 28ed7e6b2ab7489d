/**
 * Removes secrets from what goes to logs and Sentry: signed URLs' query signatures
 * (S3's X-Amz-*, CloudFront's Signature/Policy/Key-Pair-Id, the local backend's
 * `signature`/`expires`), OAuth codes, tokens in Authorization-style text, and the
 * values of secret-looking fields (authorization, cookie, password, token...).
 *
 * Pure and dependency-free: the web app imports this very file for its Sentry events.
 */

export const REDACTED = "[Filtered]";

/** Query parameters whose values are credentials or signatures (names compared case-insensitively). */
const SECRET_QUERY_PARAM =
  "x-amz-[a-z-]+|signature|sig|expires|policy|key-pair-id|token|access_token|refresh_token|api_key|apikey|code|state|password|secret|client_secret|credential|session|review";

// `name=value` inside a query string, anywhere in a text (a URL, an error message, a log line).
const QUERY_PARAM_RE = new RegExp(`((?:^|[?&;])(?:${SECRET_QUERY_PARAM}))=([^&#\\s"'<>\\\\]*)`, "gi");
// Authorization header values written out as text: `token <key>`, `Bearer <jwt>`, `Basic <b64>`.
const AUTH_SCHEME_RE = /\b(token|bearer|basic)(\s+|%20)(?!\[Filtered\])[A-Za-z0-9._~+/=-]{8,}/gi;
// A review link's secret token in a path: /api/review/<token>/ (the token is the whole grant).
const REVIEW_PATH_RE = /(\/review\/)(?!\[Filtered\])[A-Za-z0-9_-]{16,}/g;
// Credentials in a URL's authority: scheme://user:password@host.
const URL_USERINFO_RE = /\b([a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi;

/** Field names whose whole value is secret (headers, cookies, passwords, keys). */
const SECRET_KEY_RE =
  /authorization|cookie|password|passwd|secret|token|api[-_]?key|session|csrf|credential|signature|x-amz-security|private[-_]?key/i;

/** Redacts signatures, credentials and tokens in free text (URLs included). */
export function redactText(text: string): string {
  if (text.length < 8) return text;
  return text
    .replace(QUERY_PARAM_RE, `$1=${REDACTED}`)
    .replace(AUTH_SCHEME_RE, `$1$2${REDACTED}`)
    .replace(REVIEW_PATH_RE, `$1${REDACTED}`)
    .replace(URL_USERINFO_RE, `$1$2:${REDACTED}@`);
}

/** Whether a field of this name holds a secret as a whole (e.g. a header or a cookie). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_RE.test(key);
}

/**
 * A deep copy of a JSON-like value with every secret-named field's value replaced and
 * every string passed through {@link redactText}. Cycles and depths past `maxDepth` are cut.
 */
export function redactDeep<T>(value: T, maxDepth = 12): T {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === "string") return redactText(v);
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v) || depth > maxDepth) return "[Truncated]";
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    // Errors, Dates, Buffers... keep their own serialisation: only plain objects are walked.
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = isSecretKey(k) && x !== null && x !== undefined && x !== "" ? REDACTED : walk(x, depth + 1);
    }
    return out;
  };
  return walk(value, 0) as T;
}

/** Query parameter pairs (Sentry's `request.query_string` may be a list of [name, value]). */
function redactQueryPairs(pairs: unknown[]): unknown[] {
  return pairs.map((pair) =>
    Array.isArray(pair) && typeof pair[0] === "string" && redactText(`?${pair[0]}=x`) !== `?${pair[0]}=x`
      ? [pair[0], REDACTED]
      : pair,
  );
}

/**
 * A Sentry event, breadcrumb or transaction without secrets: headers such as Authorization and
 * Cookie, cookies, signed URLs (request URL, query string, breadcrumb URLs, messages), tokens.
 * For `beforeSend`, `beforeSendTransaction` and `beforeBreadcrumb` of the Node and browser SDKs.
 */
export function scrubSentryEvent<T>(event: T): T {
  const scrubbed = redactDeep(event, 24) as T & { request?: { query_string?: unknown } };
  const request = scrubbed?.request;
  if (request && Array.isArray(request.query_string)) request.query_string = redactQueryPairs(request.query_string);
  return scrubbed;
}
