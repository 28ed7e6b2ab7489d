import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "@dandi/core";
import type { AppDeps } from "../../context";

/** One dependency's state: "ok", or a short reason without hosts, URLs or credentials. */
export type TCheckResult = string;

export interface Readiness {
  ready: boolean;
  checks: { database: TCheckResult; redis: TCheckResult; storage: TCheckResult; migrations: TCheckResult };
}

/** Each check gives up after this long: a probe must answer well within a load balancer's timeout. */
const CHECK_TIMEOUT_MS = 3000;

const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

let shippedMigrations: string[] | undefined;

/** The migration folders shipped with this build (read once: they cannot change while the process runs). */
function listShippedMigrations(): string[] {
  shippedMigrations ??= fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
  return shippedMigrations;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `check`; any error becomes `failure` (the error itself is logged, never answered). */
async function run(deps: AppDeps, name: string, failure: string, check: () => Promise<TCheckResult>) {
  try {
    return await withTimeout(check(), name);
  } catch (err) {
    deps.logger.warn({ check: name, err: (err as Error).message }, "readiness check failed");
    return failure;
  }
}

async function checkMigrations(deps: AppDeps): Promise<TCheckResult> {
  const rows = await deps.prisma.$queryRaw<{ name: string }[]>`
    SELECT migration_name AS name FROM _prisma_migrations
    WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((r) => r.name));
  // Migrations the database has and this build lacks are fine: that is a rolled-back release
  // running on a schema one migration ahead, which forward-only migrations keep compatible.
  const missing = listShippedMigrations().filter((m) => !applied.has(m));
  return missing.length === 0 ? "ok" : `${missing.length} not applied`;
}

async function checkStorage(deps: AppDeps): Promise<TCheckResult> {
  if (deps.config.STORAGE_BACKEND === "local") {
    await fsp.access(deps.config.LOCAL_STORAGE_DIR, fs.constants.R_OK | fs.constants.W_OK);
  } else {
    // A HEAD of a key that need not exist: a 404 proves the endpoint and credentials answer.
    await deps.storage.headObject("health/readiness-probe");
  }
  return "ok";
}

/**
 * Whether this process can serve requests: PostgreSQL answers, every migration
 * shipped in this build is applied, Redis answers and storage is reachable.
 * The checks run in parallel, each bounded by a timeout.
 */
export async function checkReadiness(deps: AppDeps): Promise<Readiness> {
  const [database, migrations, redis, storage] = await Promise.all([
    run(deps, "database", "unreachable", async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
      return "ok";
    }),
    run(deps, "migrations", "unknown", () => checkMigrations(deps)),
    run(deps, "redis", "unreachable", async () => {
      await deps.sessions.client.ping();
      return "ok";
    }),
    run(deps, "storage", "unreachable", () => checkStorage(deps)),
  ]);
  const checks = { database, redis, storage, migrations };
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}
