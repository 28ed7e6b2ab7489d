#!/usr/bin/env node
// The settings of a local archive, shared by `pnpm dev` (scripts/dev.sh) and the management CLI
// (scripts/manage.mjs), so that `npm run manage -- ...` in a fresh shell talks to the same database
// and storage as `pnpm dev`: the environment first, then the repository's .env file, then (unless
// NODE_ENV is something other than development) the development defaults below.
//
// Run as a script it prints `export NAME='value'` lines for the settings the environment lacks,
// which dev.sh evaluates.
import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** KEY=value pairs of the repository's .env file ({} when there is none). */
export function readDotEnv(root = REPO_ROOT) {
  const file = path.join(root, ".env");
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, "utf8")) : {};
}

/** The development defaults (scripts/dev.sh's), computed from the settings already known. */
export function developmentDefaults(known, root = REPO_ROOT) {
  const admin = new URL(known.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  admin.pathname = "/dandi_dev";
  const port = known.PORT ?? "8000";
  const webPort = known.WEB_PORT ?? "8085";
  const apiUrl = known.DANDI_API_URL ?? `http://localhost:${port}`;
  const webUrl = known.DANDI_WEB_APP_URL ?? `http://localhost:${webPort}`;
  return {
    NODE_ENV: "development",
    PORT: port,
    WEB_PORT: webPort,
    DATABASE_URL: admin.toString(),
    REDIS_URL: `redis://${known.REDIS_HOST ?? "127.0.0.1"}:${known.REDIS_PORT ?? "6379"}`,
    STORAGE_BACKEND: "local",
    LOCAL_STORAGE_DIR: path.join(root, "var/storage"),
    SESSION_SECRET: "dev-session-secret-not-for-production-0123456789",
    DANDI_API_URL: apiUrl,
    DANDI_WEB_APP_URL: webUrl,
    CORS_ALLOWED_ORIGINS: `${webUrl},http://127.0.0.1:${webPort}`,
    WORKER_QUEUES: "default,checksum,analytics",
    VITE_API_URL: apiUrl,
  };
}

/**
 * The settings the environment `env` lacks: those of .env, then, when NODE_ENV (from either) is
 * unset or development, the development defaults. Never overrides what `env` sets.
 */
export function missingSettings(env, root = REPO_ROOT) {
  const fromFile = readDotEnv(root);
  const known = { ...fromFile, ...env };
  const added = {};
  for (const [key, value] of Object.entries(fromFile)) if (env[key] === undefined) added[key] = value;
  const nodeEnv = known.NODE_ENV ?? "development";
  if (nodeEnv === "development") {
    for (const [key, value] of Object.entries(developmentDefaults(known, root))) {
      if (known[key] === undefined) added[key] = value;
    }
  }
  return added;
}

const quote = (value) => `'${String(value).replaceAll("'", `'\\''`)}'`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [key, value] of Object.entries(missingSettings(process.env))) {
    process.stdout.write(`export ${key}=${quote(value)}\n`);
  }
}
