import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { REPO_ROOT } from "@dandi/core";

/** The PostgreSQL server tests run against (a maintenance database URL). */
export const TEST_POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function databaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Name of the migrated template database: it changes whenever a migration changes. */
export function templateDatabaseName(): string {
  const dir = path.join(REPO_ROOT, "prisma", "migrations");
  const hash = createHash("sha256");
  for (const entry of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, entry, "migration.sql");
    if (fs.existsSync(file)) hash.update(entry).update(fs.readFileSync(file));
  }
  return `dandi_test_tpl_${hash.digest("hex").slice(0, 12)}`;
}

/**
 * Creates (once) a template database with every migration applied by the real
 * `prisma migrate deploy`, so each test file can clone it in milliseconds.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const name = templateDatabaseName();
  const exists = await withAdmin(
    async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount,
  );
  if (exists) return name;
  const building = `${name}_building_${randomBytes(3).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${building}"`));
  execFileSync("pnpm", ["--filter", "@dandi/db", "run", "migrate:deploy"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl(building) },
    stdio: "pipe",
  });
  await withAdmin(async (c) => {
    try {
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch (err) {
      // Another worker built it at the same time: keep theirs.
      await c.query(`DROP DATABASE IF EXISTS "${building}"`);
      if (!String(err).includes("already exists")) throw err;
    }
  });
  return name;
}

/** A fresh database cloned from the template; returns its URL and a drop function. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const template = await ensureTemplateDatabase();
  const name = `dandi_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return {
    url: databaseUrl(name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
