/**
 * The only HTTP client of the SPA. It owns the API base URL, sends the session
 * cookie (`credentials: "include"`), adds the CSRF header the API requires on
 * cookie-authenticated unsafe requests, and turns every failure into an
 * `ApiRequestError` with a human-readable message. A 401 notifies the
 * listeners registered with `onUnauthorized` (the auth store drops its user).
 */

const DEFAULT_API_URL = "http://localhost:8000";

/**
 * Origin of the API server, without a trailing slash and without `/api`. `VITE_API_URL=/`
 * means the API answers on the web app's own origin (one server behind a proxy, as in
 * deploy/single-server), so one build serves any host name.
 */
export const API_URL =
  import.meta.env.VITE_API_URL === "/"
    ? window.location.origin
    : (import.meta.env.VITE_API_URL || DEFAULT_API_URL).replace(/\/+$/, "");

/** Header name the API's CSRF check looks for on cookie-authenticated writes (also allowed by its CORS). */
const CSRF_HEADER = "X-CSRF-Token";

export type TQuery = Record<string, string | number | boolean | undefined | null | string[]>;

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

type TUnauthorizedListener = () => void;
const unauthorizedListeners = new Set<TUnauthorizedListener>();

/** A 5xx of the API: what was asked and the API's request id (X-Request-Id), for error reporting. */
export interface TServerError {
  status: number;
  method: string;
  path: string;
  requestId: string | null;
}
const serverErrorListeners = new Set<(error: TServerError) => void>();

/** Registers a callback run whenever the API answers 5xx (Sentry reports them). */
export function onServerError(listener: (error: TServerError) => void): () => void {
  serverErrorListeners.add(listener);
  return () => serverErrorListeners.delete(listener);
}

/** Registers a callback run whenever the API answers 401; returns an unsubscribe function. */
export function onUnauthorized(listener: TUnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Builds an absolute API URL from a path under `/api` (e.g. `/dandisets/`) and a query. */
export function apiUrl(path: string, query: TQuery = {}): string {
  const url = new URL(`${API_URL}/api${path.startsWith("/") ? path : `/${path}`}`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => url.searchParams.append(key, v));
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/**
 * Turns DANDI's error bodies into one sentence: `{"detail": m}`, a bare JSON
 * string, a list of messages, or DRF's `{"field": ["msg"]}`.
 */
export function describeError(status: number, body: unknown): string {
  if (typeof body === "string" && body.trim()) return body;
  if (Array.isArray(body)) return body.map((b) => describeError(status, b)).join(" ");
  if (body && typeof body === "object") {
    const record = body as Record<string, unknown>;
    if (typeof record.detail === "string") return record.detail;
    const parts = Object.entries(record).map(([field, value]) => {
      const text = Array.isArray(value) ? value.map(String).join(" ") : String(value);
      return field === "non_field_errors" ? text : `${field}: ${text}`;
    });
    if (parts.length) return parts.join("; ");
  }
  if (status === 0) return "The archive could not be reached. Check your connection and try again.";
  return `Request failed (${status}).`;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: TQuery;
  body?: unknown;
  signal?: AbortSignal;
}

/** Sends one request to the API and returns the parsed JSON (or `undefined` for an empty body). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET") headers[CSRF_HEADER] = "1";
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: "include",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === "AbortError") throw err;
    throw new ApiRequestError(0, null, describeError(0, null));
  }
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    if (response.status >= 500) {
      const requestId = response.headers.get("x-request-id");
      serverErrorListeners.forEach((listener) => listener({ status: response.status, method, path, requestId }));
    }
    throw new ApiRequestError(response.status, body, describeError(response.status, body));
  }
  return body as T;
}
