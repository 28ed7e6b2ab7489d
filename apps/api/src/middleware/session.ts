import type { NextFunction, Request, RequestHandler, Response } from "express";
import session from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";
import { ApiError, type TConfig } from "@dandi/core";
import type { AppDeps } from "../context";
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from "./dependency-unavailable";

declare module "express-session" {
  interface SessionData {
    /** The signed-in user. */
    userId?: number;
    /** Where to send the browser after GitHub sign-in (validated). */
    next?: string;
    /** Review links (ids) this browser opened: read-only grants while each stays valid. */
    reviewLinks?: number[];
  }
}

/** The browser session cookie's name. */
export const SESSION_COOKIE = "dandi_session";

/**
 * A node-redis client that survives Redis going away: commands fail at once while it is
 * disconnected (no offline queue, so a request never hangs), and it reconnects by itself,
 * every 2 s at most, for as long as the process lives.
 */
function createRedis(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) },
  });
}

/** The Redis connection behind sessions and the sign-in rate limiter. */
export interface SessionBackend {
  client: ReturnType<typeof createRedis>;
  store: session.Store;
  /** Key prefix of everything this app stores in Redis for sessions and limits. */
  prefix: string;
  /** True while Redis is connected; false while it is down (sessions and sign-in limits degrade). */
  available(): boolean;
  close(): Promise<void>;
}

/**
 * Builds the session store over REDIS_URL (keys `${prefix}sess:`) and connects, waiting at most
 * `connectWaitMs` for the first connection: the API starts, and serves token and anonymous
 * requests, while Redis is down.
 * Connection errors go to `onError` (an error listener is what keeps node-redis from killing
 * the process); the client reconnects by itself.
 */
export async function createSessionBackend(
  config: Pick<TConfig, "REDIS_URL" | "SESSION_MAX_AGE">,
  prefix = "dandi:",
  options: { onError?: (err: Error) => void; connectWaitMs?: number } = {},
): Promise<SessionBackend> {
  const client = createRedis(config.REDIS_URL);
  client.on("error", options.onError ?? (() => undefined));
  // Retried by the reconnect strategy until Redis answers; failures are reported through "error".
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([connected, new Promise((r) => (timer = setTimeout(r, options.connectWaitMs ?? 2_000)))]);
  clearTimeout(timer);
  const store = new RedisStore({ client, prefix: `${prefix}sess:`, ttl: config.SESSION_MAX_AGE });
  return {
    client,
    store,
    prefix,
    available: () => client.isReady,
    close: async () => {
      if (client.isReady) await client.quit().catch(() => undefined);
      else if (client.isOpen) client.destroy();
    },
  };
}

/** The 503 of a request that needs its browser session (or a sign-in limit) while Redis is down. */
export function sessionsUnavailable(): ApiError {
  return ApiError.detail(503, "Sign-in sessions are temporarily unavailable, try again later.", {
    "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS),
  });
}

/** A session-store failure while Redis is down becomes the 503 above; anything else stays as it is. */
function asSessionError(deps: AppDeps, err: unknown): unknown {
  return deps.sessions.available() ? err : sessionsUnavailable();
}

const handlers = new WeakMap<AppDeps, RequestHandler>();

function sessionHandler(deps: AppDeps): RequestHandler {
  let handler = handlers.get(deps);
  if (!handler) {
    handler = session({
      name: SESSION_COOKIE,
      secret: deps.config.SESSION_SECRET,
      store: deps.sessions.store,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: {
        httpOnly: true,
        // SameSite=Lax keeps the cookie off cross-site POSTs; the Origin/header check covers the rest.
        sameSite: "lax",
        secure: deps.config.DANDI_API_URL.startsWith("https:"),
        maxAge: deps.config.SESSION_MAX_AGE * 1000,
        path: "/",
      },
    });
    handlers.set(deps, handler);
  }
  return handler;
}

/** Loads (or prepares) the browser session on this request; a no-op when already loaded. */
export async function loadSession(req: Request, res: Response): Promise<void> {
  if (req.session) return;
  if (!req.deps.sessions.available()) throw sessionsUnavailable();
  const handler = sessionHandler(req.deps);
  await new Promise<void>((resolve, reject) => {
    void handler(req, res, (err?: unknown) => (err ? reject(asSessionError(req.deps, err)) : resolve()));
  });
}

/**
 * `loadSession` for a request that carries a session cookie but may do without it: while
 * Redis is down a read (GET, HEAD, OPTIONS) goes on as anonymous (public data stays readable,
 * the cookie is left alone for when Redis is back) and this returns false; a write answers 503,
 * since acting on it as anonymous would only produce a misleading 401/403.
 */
export async function loadSessionUnlessDown(req: Request, res: Response): Promise<boolean> {
  try {
    await loadSession(req, res);
    return true;
  } catch (err) {
    const down = err instanceof ApiError && err.status === 503;
    if (down && ["GET", "HEAD", "OPTIONS"].includes(req.method)) return false;
    throw err;
  }
}

/** Express middleware form of `loadSession`, for the sign-in routes. */
export async function withSession(req: Request, res: Response, next: NextFunction): Promise<void> {
  await loadSession(req, res);
  next();
}

/** True when the request carries our session cookie (so anonymous requests never touch Redis). */
export function hasSessionCookie(req: Request): boolean {
  const cookie = req.get("cookie");
  return !!cookie && cookie.split(";").some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

/** Starts a fresh session for the user (a new id, against session fixation). */
export async function startUserSession(req: Request, userId: number, keep: { next?: string } = {}): Promise<void> {
  const fail = (err: unknown) => asSessionError(req.deps, err);
  // Review links opened before signing in stay open in the new session.
  const reviewLinks = req.session.reviewLinks;
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(fail(err)) : resolve())));
  req.session.userId = userId;
  if (reviewLinks?.length) req.session.reviewLinks = reviewLinks;
  if (keep.next) req.session.next = keep.next;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(fail(err)) : resolve())));
}

/** Ends the session and clears the cookie. */
export async function endUserSession(req: Request, res: Response): Promise<void> {
  if (req.session) {
    await new Promise<void>((resolve, reject) =>
      req.session.destroy((err) => (err ? reject(asSessionError(req.deps, err)) : resolve())),
    );
  }
  res.clearCookie(SESSION_COOKIE, { path: "/" });
}
