import express, { type Express, type Request } from "express";
import cors, { type CorsOptions } from "cors";
import helmet from "helmet";
import type { AppDeps } from "./context";
import { authenticate } from "./middleware/authenticate";
import { requestLogging } from "./middleware/request-log";
import { approvedOrReadOnly } from "./middleware/approved-or-read-only";
import { appendSlash } from "./middleware/trailing-slash";
import { allowedHosts } from "./middleware/allowed-hosts";
import { parseJsonBody } from "./middleware/body";
import { rejectHostileBody, rejectNulInUrl } from "./middleware/hostile-input";
import { errorHandler, notFoundHandler } from "./middleware/errors";
import { apiRouter, rootRouter, EXACT_API_PATHS, WRITE_EXEMPT_PATHS } from "./routes";
import { healthRouter } from "./routes/health/health.router";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** DANDI's CORS: any origin may read; writes only from the configured origins. */
function corsOptions(allowed: string[]) {
  return (req: Request, cb: (err: Error | null, options?: CorsOptions) => void) => {
    const origin = req.get("origin");
    const method = (req.method === "OPTIONS" ? req.get("access-control-request-method") : req.method) ?? "GET";
    const trusted = !!origin && allowed.includes(origin);
    cb(null, {
      origin: trusted || SAFE_METHODS.has(method.toUpperCase()),
      credentials: trusted,
      allowedHeaders: ["authorization", "content-type", "baggage", "sentry-trace", "x-csrf-token"],
      // ETag: a browser upload to the local backend's signed part URLs (/storage) reads each part's ETag.
      exposedHeaders: ["Location", "X-Request-Username", "X-Request-Id", "ETag"],
    });
  };
}

/** Builds the Express app without listening, so tests drive it with supertest. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.set("trust proxy", deps.config.TRUST_PROXY);
  app.set("json replacer", (_key: string, value: unknown) => (typeof value === "bigint" ? Number(value) : value));
  app.disable("x-powered-by");

  // One JSON line per request, without headers or signatures; the request id goes into jobs.
  app.use(requestLogging(deps.logger));
  app.use((req, _res, next) => {
    req.deps = deps;
    next();
  });
  app.use(helmet({ contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: "cross-origin" } }));
  app.use(allowedHosts(deps.config.ALLOWED_HOSTS));
  app.use(cors(corsOptions(deps.config.CORS_ALLOWED_ORIGINS)));
  app.use(rejectNulInUrl);

  // Probes first: no slash redirect, no authentication, no session.
  app.use("/api/health", healthRouter());
  app.use("/api", appendSlash(EXACT_API_PATHS));
  app.use(authenticate);
  app.use("/api", approvedOrReadOnly(WRITE_EXEMPT_PATHS));
  // Bodies are read only now, after authentication and the anonymous-write check, with
  // per-route limits; only /api routes take JSON (signed /storage URLs take raw bodies).
  app.use("/api", parseJsonBody(), rejectHostileBody);
  app.use("/api", apiRouter());
  app.use(rootRouter());

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
