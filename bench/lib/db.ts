import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/** The repository root (bench/ is one level below it). */
export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

const POSTGRES_URL =
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** The URL of a database on the benchmark's PostgreSQL server (BENCH_POSTGRES_URL or the test server). */
export function databaseUrl(name: string): string {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `fn` with a client connected to `url`, always closing it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const admin = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(databaseUrl("postgres"), fn);

/** Whether a database of that name exists. */
export async function databaseExists(name: string): Promise<boolean> {
  return admin(
    async (c) => ((await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount ?? 0) > 0,
  );
}

/**
 * Drops `name`, re-creates it empty and applies every migration with the real
 * `prisma migrate deploy`, so the benchmark runs on exactly the migrated schema.
 * (No dependency on the API's packages: a half-edited module elsewhere cannot break seeding.)
 */
export async function createFreshDatabase(name: string): Promise<string> {
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const url = databaseUrl(name);
  migrateDeploy(url);
  return url;
}

/** Applies any migration that landed since the database was seeded (a no-op when none). */
export function migrateDeploy(url: string): void {
  execFileSync("pnpm", ["--filter", "@dandi/db", "run", "migrate:deploy"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: "pipe",
  });
}

/** Runs statements one by one, printing how long each labelled step took. */
export async function runSteps(client: pg.Client, steps: [label: string, sql: string, params?: unknown[]][]) {
  for (const [label, sql, params] of steps) {
    const started = performance.now();
    await client.query(sql, params);
    console.log(`  ${label.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
  }
}

/**
 * Drops the secondary indexes of `tables` (not those behind a primary key or
 * unique constraint), runs `load`, and re-creates them from their saved
 * definitions: building an index once after a bulk load is much faster than
 * maintaining it row by row (the trigram GIN index above all).
 */
export async function withIndexesDeferred<T>(client: pg.Client, tables: string[], load: () => Promise<T>): Promise<T> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = 'public' AND i.tablename = ANY ($1)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [tables],
  );
  for (const { name } of rows) await client.query(`DROP INDEX "${name}"`);
  const result = await load();
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const { name, def } of rows) {
    const started = performance.now();
    await client.query(def);
    console.log(`  ${`index ${name}`.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2)} s`);
  }
  return result;
}

/**
 * Rebuilds the dandiset search postings (search_tokens, dandiset_search_tokens)
 * when the schema has them: the seeds load versions with triggers off, so the
 * trigger that maintains them did not run. This is the set-based form
 * of the database's dandi_refresh_search_tokens(dandiset) (same tokenisation of
 * versions.search_text); calling that function per dandiset takes minutes for 10,000.
 */
export async function refreshSearchTokens(client: pg.Client, dandisetIdsSql: string): Promise<void> {
  // The postings table, not the refresh function: the function's signature changed
  // (integer -> integer[]) and a check on the old one silently skipped the postings.
  const { rows } = await client.query<{ table: string | null }>(
    "SELECT to_regclass('dandiset_search_tokens')::text AS table",
  );
  if (!rows[0]?.table) return;
  await withIndexesDeferred(client, ["search_tokens", "dandiset_search_tokens"], () =>
    runSteps(client, [
      ["search postings: clear", `DELETE FROM dandiset_search_tokens WHERE dandiset_id IN (${dandisetIdsSql})`],
      [
        "search postings: tokens",
        // EXCEPT rather than ON CONFLICT: the unique index is rebuilt after the load.
        `INSERT INTO search_tokens (token)
         SELECT t FROM versions v, regexp_split_to_table(v.search_text, '[^[:alnum:]]+') AS t
         WHERE v.dandiset_id IN (${dandisetIdsSql}) AND t <> ''
         EXCEPT SELECT token FROM search_tokens`,
      ],
      ["analyze search tokens", "ANALYZE search_tokens"],
      [
        "search postings: dandisets",
        `INSERT INTO dandiset_search_tokens (token_id, dandiset_id)
         SELECT st.id, p.dandiset_id
         FROM (SELECT DISTINCT v.dandiset_id, t FROM versions v, regexp_split_to_table(v.search_text, '[^[:alnum:]]+') AS t
               WHERE v.dandiset_id IN (${dandisetIdsSql}) AND t <> '') p
         JOIN search_tokens st ON st.token = p.t`,
      ],
    ]),
  );
  // The common tokens' bitmaps (migration 20261122233000), as the worker's fold builds them.
  const { rows: fold } = await client.query<{ fn: string | null }>(
    "SELECT to_regproc('dandi_fold_search_bitmaps')::text AS fn",
  );
  if (fold[0]?.fn) {
    await runSteps(client, [
      [
        "search bitmaps: mark dirty",
        `INSERT INTO search_bitmap_dirty (dandiset_id) SELECT id FROM dandisets WHERE id IN (${dandisetIdsSql})`,
      ],
      ["search bitmaps: fold", "SELECT dandi_fold_search_bitmaps()"],
      ["vacuum analyze search bitmaps", "VACUUM ANALYZE search_bitmap_dirty"],
    ]);
  }
  await runSteps(client, [["vacuum analyze search postings", "VACUUM ANALYZE search_tokens, dandiset_search_tokens"]]);
}

/**
 * Recomputes the columns that triggers keep on dandisets (latest_name, latest_modified,
 * latest_size, latest_asset_count, star_count) when the schema has them: the seeds
 * load versions and stars with triggers off, so those triggers did not run.
 */
export async function refreshDandisetColumns(client: pg.Client, dandisetIdsSql: string): Promise<void> {
  const { rows } = await client.query<{ latest: string | null; stars: string | null }>(
    `SELECT to_regprocedure('dandi_refresh_latest_versions(integer[])')::text AS latest,
            to_regprocedure('dandi_refresh_star_counts(integer[])')::text AS stars`,
  );
  const steps: [string, string][] = [];
  if (rows[0]?.latest)
    steps.push(["latest version fields", `SELECT dandi_refresh_latest_versions(ARRAY(${dandisetIdsSql}))`]);
  if (rows[0]?.stars) steps.push(["star counts", `SELECT dandi_refresh_star_counts(ARRAY(${dandisetIdsSql}))`]);
  if (steps.length) await runSteps(client, [...steps, ["analyze dandisets", "ANALYZE dandisets"]]);
}

/**
 * Migrations whose file changed after they were applied to this database
 * (prisma migrate deploy does not re-apply them): the schema has drifted.
 */
export async function driftedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string; checksum: string }>(
    "SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL",
  );
  const dir = path.join(REPO_ROOT, "prisma", "migrations");
  return rows
    .filter(({ name, checksum }) => {
      const file = path.join(dir, name, "migration.sql");
      return !fs.existsSync(file) || createHash("sha256").update(fs.readFileSync(file)).digest("hex") !== checksum;
    })
    .map((r) => r.name);
}
