import type { Request, RequestHandler } from "express";
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type Store } from "express-rate-limit";
import { ApiError } from "@dandi/core";
import type { AppDeps } from "../../context";
import { sessionsUnavailable, type SessionBackend } from "../../middleware/session";

/** express-rate-limit counters in Redis, so every web dyno shares them. */
class RedisRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly sessions: SessionBackend,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    // Without Redis there is no shared counter (and no session to sign in to): 503, not 500.
    if (!this.sessions.available()) throw sessionsUnavailable();
    const k = this.sessions.prefix + this.prefix + key;
    const totalHits = await this.sessions.client.incr(k);
    if (totalHits === 1) await this.sessions.client.pExpire(k, this.windowMs);
    const ttl = await this.sessions.client.pTTL(k);
    return { totalHits, resetTime: new Date(Date.now() + (ttl > 0 ? ttl : this.windowMs)) };
  }

  async decrement(key: string): Promise<void> {
    if (!this.sessions.available()) return;
    await this.sessions.client.decr(this.sessions.prefix + this.prefix + key);
  }

  async resetKey(key: string): Promise<void> {
    if (!this.sessions.available()) return;
    await this.sessions.client.del(this.sessions.prefix + this.prefix + key);
  }
}

function emailKey(req: Request): string {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase() : "";
}

const cache = new WeakMap<AppDeps, RequestHandler[]>();

/**
 * Password sign-in limits, per client IP (every attempt counts) and per e-mail
 * address (failed attempts count), over LOGIN_RATE_LIMIT_WINDOW seconds. Over
 * the limit: 429 in DRF's throttle shape with Retry-After.
 */
export function loginRateLimits(deps: AppDeps): RequestHandler[] {
  let limiters = cache.get(deps);
  if (limiters) return limiters;
  const { config } = deps;
  const windowMs = config.LOGIN_RATE_LIMIT_WINDOW * 1000;
  const common = {
    windowMs,
    standardHeaders: "draft-6" as const,
    // Built once per app (cached by deps), on the first sign-in request.
    validate: { creationStack: false },
    legacyHeaders: false,
    handler: (_req: Request, res: unknown, next: (err: unknown) => void) => {
      const retry = (res as { getHeader(name: string): unknown }).getHeader("Retry-After");
      next(
        ApiError.detail(
          429,
          `Request was throttled. Expected available in ${String(retry ?? config.LOGIN_RATE_LIMIT_WINDOW)} seconds.`,
        ),
      );
    },
  };
  limiters = [
    rateLimit({
      ...common,
      limit: config.LOGIN_RATE_LIMIT_PER_IP,
      store: new RedisRateLimitStore(deps.sessions, "login-ip:"),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? "unknown"),
    }),
    rateLimit({
      ...common,
      limit: config.LOGIN_RATE_LIMIT_PER_EMAIL,
      skipSuccessfulRequests: true,
      store: new RedisRateLimitStore(deps.sessions, "login-email:"),
      keyGenerator: emailKey,
      skip: (req) => emailKey(req) === "",
    }),
  ];
  cache.set(deps, limiters);
  return limiters;
}
