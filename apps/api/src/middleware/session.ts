import type { NextFunction, Request, RequestHandler, Response } from "express";
import session from "express-session";
import { RedisStore } from "connect-redis";
import { createClient } from "redis";
import type { TConfig } from "@dandi/core";
import type { AppDeps } from "../context";

declare module "express-session" {
  interface SessionData {
    /** The signed-in user. */
    userId?: number;
    /** Where to send the browser after GitHub sign-in (validated). */
    next?: string;
  }
}

/** The browser session cookie's name. */
export const SESSION_COOKIE = "dandi_session";

function createRedis(url: string) {
  return createClient({ url });
}

/** The Redis connection behind sessions and the sign-in rate limiter. */
export interface SessionBackend {
  client: ReturnType<typeof createRedis>;
  store: session.Store;
  /** Key prefix of everything this app stores in Redis for sessions and limits. */
  prefix: string;
  close(): Promise<void>;
}

/** Connects to REDIS_URL and builds the session store (keys `${prefix}sess:`). */
export async function createSessionBackend(
  config: Pick<TConfig, "REDIS_URL" | "SESSION_MAX_AGE">,
  prefix = "dandi:",
): Promise<SessionBackend> {
  const client = createRedis(config.REDIS_URL);
  await client.connect();
  const store = new RedisStore({ client, prefix: `${prefix}sess:`, ttl: config.SESSION_MAX_AGE });
  return {
    client,
    store,
    prefix,
    close: async () => {
      if (client.isOpen) await client.quit();
    },
  };
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
  const handler = sessionHandler(req.deps);
  await new Promise<void>((resolve, reject) => {
    void handler(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
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
  await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
  req.session.userId = userId;
  if (keep.next) req.session.next = keep.next;
  await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** Ends the session and clears the cookie. */
export async function endUserSession(req: Request, res: Response): Promise<void> {
  if (req.session) {
    await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  }
  res.clearCookie(SESSION_COOKIE, { path: "/" });
}
