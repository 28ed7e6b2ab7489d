import path from "node:path";
import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const urlNoTrailingSlash = z.url().transform((u) => u.replace(/\/+$/, ""));

/** The repository root, so that relative defaults work from any package's cwd. */
export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");

/**
 * Every setting the archive reads, Heroku style (one environment variable each).
 * Nothing else in the codebase reads process.env.
 */
export const ZConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8000),
    /**
     * API processes per web dyno (node:cluster workers; 1 = no cluster). Heroku's Node.js
     * buildpack sets it from the dyno's memory (one per 512 MB); unset elsewhere means 1.
     */
    WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /**
     * Seconds a process waits on SIGTERM before cutting off in-flight requests (API) or handing
     * its active jobs back to the queue (worker). Heroku sends SIGKILL 30 s after SIGTERM.
     */
    SHUTDOWN_TIMEOUT: z.coerce.number().min(0).max(25).default(20),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL"),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
      .default("redis://127.0.0.1:6379"),
    /** Public URL of the API server, without /api (DANDI's DJANGO_DANDI_API_URL). */
    DANDI_API_URL: urlNoTrailingSlash.default("http://localhost:8000"),
    DANDI_WEB_APP_URL: urlNoTrailingSlash.default("http://localhost:8085"),
    DANDI_JUPYTERHUB_URL: urlNoTrailingSlash.default("https://hub.dandiarchive.org"),
    DANDI_INSTANCE_NAME: z
      .string()
      .regex(/^[A-Z][-A-Z]*$/)
      .default("DANDI"),
    DANDI_INSTANCE_IDENTIFIER: z.string().default("RRID:SCR_017571"),
    DANDI_DOI_API_PREFIX: z.string().default("10.80507"),
    DANDI_LICENSES: z
      .string()
      .default('["spdx:CC0-1.0","spdx:CC-BY-4.0"]')
      .transform((s, ctx) => {
        try {
          return z.array(z.string()).parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: "custom", message: "must be a JSON list of strings" });
          return z.NEVER;
        }
      }),
    /** Folder with dandischema's published JSON Schemas: <dir>/<version>/dandiset.json ... */
    DANDI_SCHEMA_DIR: z.string().default(path.join(REPO_ROOT, "schemas")),
    /** Where the schemas are downloaded from when DANDI_SCHEMA_DIR has no copy. */
    DANDI_SCHEMA_URL: urlNoTrailingSlash.default("https://raw.githubusercontent.com/dandi/schema/master/releases"),
    /** Schema version the server advertises; default: the newest version in DANDI_SCHEMA_DIR. */
    DANDI_SCHEMA_VERSION: z
      .string()
      .regex(/^\d+\.\d+\.\d+$/)
      .optional(),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Sentry project DSN of the API and workers; unset: errors are only logged. */
    SENTRY_DSN: z.string().optional(),
    SENTRY_ENVIRONMENT: z.string().optional(),
    /** Release name on Sentry events; default: the SDK's detection (e.g. Heroku's SOURCE_VERSION). */
    SENTRY_RELEASE: z.string().optional(),
    /** Share of requests and jobs traced to Sentry (0 to 1). */
    SENTRY_TRACES_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(0.01),
    CORS_ALLOWED_ORIGINS: z
      .string()
      .default("")
      .transform((s) =>
        s
          .split(",")
          .map((o) => o.trim())
          .filter(Boolean),
      ),
    /**
     * Host names the API answers (DANDI's ALLOWED_HOSTS), matched against the Host header
     * without its port: "api.example.org", ".example.org" (the domain and its subdomains),
     * "*" (any). Other hosts get 400; /api/health/ answers whatever the Host.
     */
    ALLOWED_HOSTS: z
      .string()
      .default("*")
      .transform((s) =>
        s
          .split(",")
          .map((h) => h.trim().toLowerCase().replace(/\.$/, ""))
          .filter(Boolean),
      ),
    /**
     * How many reverse proxies sit in front of the API (Heroku's router: 1). Only that
     * many X-Forwarded-For/-Proto hops are believed, so clients cannot spoof req.ip.
     */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(1),

    STORAGE_BACKEND: z.enum(["s3", "local"]).default("local"),
    S3_BUCKET: z.string().optional(),
    S3_ENDPOINT_URL: z.url().optional(),
    S3_REGION: z.string().default("us-east-1"),
    AWS_ACCESS_KEY_ID: z.string().optional(),
    AWS_SECRET_ACCESS_KEY: z.string().optional(),
    LOCAL_STORAGE_DIR: z.string().default(path.join(REPO_ROOT, "var", "storage")),
    /** Lifetime of presigned download URLs, seconds (DANDI: 6 h). */
    DOWNLOAD_URL_EXPIRY: z.coerce
      .number()
      .int()
      .min(60)
      .default(6 * 3600),
    /**
     * Caps of a folder (or whole version) downloaded as one zip from the web app: at most this
     * many files and bytes; a larger folder is refused with a 400 before anything is streamed.
     */
    ZIP_MAX_FILES: z.coerce.number().int().min(1).default(1000),
    ZIP_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(1024 ** 3),
    /** Lifetime of presigned multipart upload URLs, seconds (DANDI: 7 days). */
    UPLOAD_URL_EXPIRY: z.coerce
      .number()
      .int()
      .min(60)
      .default(7 * 24 * 3600),

    /** GitHub sign-in is offered only when both are set. */
    GITHUB_CLIENT_ID: z.string().optional(),
    GITHUB_CLIENT_SECRET: z.string().optional(),
    /** GitHub's OAuth and API URLs; configurable so tests can point them at a local fake. */
    GITHUB_AUTHORIZATION_URL: z.url().default("https://github.com/login/oauth/authorize"),
    GITHUB_TOKEN_URL: z.url().default("https://github.com/login/oauth/access_token"),
    GITHUB_USER_PROFILE_URL: z.url().default("https://api.github.com/user"),
    GITHUB_USER_EMAILS_URL: z.url().default("https://api.github.com/user/emails"),
    /** Browser session lifetime, seconds (Django's default: two weeks). */
    SESSION_MAX_AGE: z.coerce
      .number()
      .int()
      .min(60)
      .default(14 * 24 * 3600),
    /** Password sign-in attempts allowed per window, per client IP and per e-mail address. */
    LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
    LOGIN_RATE_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(5),
    LOGIN_RATE_LIMIT_WINDOW: z.coerce.number().int().min(1).default(900),
    /** smtp://user:pass@host:port or smtps://...; unset: e-mails are only logged. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    DEFAULT_FROM_EMAIL: z.string().default("DANDI Archive <info@dandiarchive.org>"),
    /** Receives new-user reviews and the daily digest (DANDI's DANDI_ADMIN_EMAIL). */
    DANDI_ADMIN_EMAIL: z.string().default("info@dandiarchive.org"),

    DANDI_VALIDATION_JOB_INTERVAL: z.coerce.number().int().min(1).default(60),
    /** Seconds between recomputations of /api/stats/ by the worker (DANDI caches its stats 12 h). */
    STATS_REFRESH_INTERVAL: z.coerce
      .number()
      .int()
      .min(60)
      .default(6 * 3600),
    /** Queues a worker process serves (comma list of default, checksum, analytics). */
    WORKER_QUEUES: z
      .string()
      .default("default")
      .transform((s) =>
        s
          .split(",")
          .map((q) => q.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(["default", "checksum", "analytics"])).min(1)),
    /** Jobs a worker process runs at once, per queue. */
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    /** BullMQ key prefix in Redis. */
    JOBS_PREFIX: z.string().min(1).default("dandi"),
    /** DataCite REST API; DOIs are only registered when URL, user and password are all set. */
    DANDI_DOI_API_URL: urlNoTrailingSlash.optional(),
    DANDI_DOI_API_USER: z.string().optional(),
    DANDI_DOI_API_PASSWORD: z.string().optional(),
    /** Create findable (published) DOIs instead of draft ones. */
    DANDI_DOI_PUBLISH: booleanFromEnv.default(false),
    /** Records (or headers, or sets) per OAI-PMH list response; the rest follows a resumption token. */
    OAI_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    /** URLs per sitemap file; more public versions than this make /api/sitemap.xml a sitemap index (50,000 at most). */
    SITEMAP_MAX_URLS: z.coerce.number().int().min(1).max(50_000).default(50_000),
    /** Blobs no asset references are deleted only once older than this many seconds (default 7 days). */
    BLOB_GC_GRACE_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .default(7 * 24 * 3600),
    /** Bucket and prefix of the S3 server access logs that the analytics worker counts downloads from. */
    ANALYTICS_LOG_BUCKET: z.string().optional(),
    ANALYTICS_LOG_PREFIX: z.string().default(""),
    DANDI_AUTO_APPROVE_DOMAINS: z
      .string()
      .default(".edu,@alleninstitute.org,@nih.gov,@janelia.hhmi.org,@ccf.org,.ac.uk,.mcgill.ca,@epfl.ch")
      .transform((s) =>
        s
          .split(",")
          .map((d) => d.trim().toLowerCase())
          .filter(Boolean),
      ),
  })
  .superRefine((c, ctx) => {
    if (c.STORAGE_BACKEND === "s3" && !c.S3_BUCKET) {
      ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: "is required when STORAGE_BACKEND=s3" });
    }
  });

export type TConfig = z.infer<typeof ZConfigSchema>;

/** Thrown by loadConfig; its message names every bad or missing variable. */
export class ConfigError extends Error {}

/** Parses the environment once. Every problem is listed, by variable name. */
export function loadConfig(env: Record<string, string | undefined> = process.env): TConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZConfigSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(config)"}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

/** Loads the config or prints every problem and exits the process (for entry points). */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): TConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
