import { createFreshDatabase, databaseExists, databaseUrl, migrateDeploy, withClient } from "../lib/db";
import type { Endpoint } from "../lib/load";
import { runSuite } from "../lib/suite";
import { RARE_WORD } from "../lib/vocabulary";
import { seedDandisets } from "./seed";

const DATABASE = process.env.BENCH_DANDISETS_DB ?? "dandi_bench_dandisets";
const DANDISETS = Number(process.env.BENCH_DANDISETS ?? 10_000);
const USERS = Number(process.env.BENCH_USERS ?? 300);
/** Target from issue 2: p95 < 20 ms at one client. */
const TARGET_MS = 20;

const ORDERINGS = ["id", "-id", "name", "-name", "modified", "-modified", "size", "-size", "stars"];

/** Issue 2: the dandiset list, search, detail and version info over 10,000 dandisets. */
export async function benchDandisets(): Promise<void> {
  console.log(`# api-dandisets: ${DANDISETS} dandisets, ${USERS} users, database ${DATABASE}`);
  // BENCH_REUSE_DB=1 keeps an already seeded database (to re-measure after an API change).
  const reuse = process.env.BENCH_REUSE_DB === "1" && (await databaseExists(DATABASE));
  let started = performance.now();
  const url = reuse ? databaseUrl(DATABASE) : await createFreshDatabase(DATABASE);
  if (!reuse) console.log(`fresh migrated database in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // A reused database gets the migrations added since it was seeded (they backfill what they add).
  else migrateDeploy(url);
  started = performance.now();
  const counts = await withClient(url, async (client) => {
    if (!reuse) await seedDandisets(client, { dandisets: DANDISETS, users: USERS });
    const row = await client.query(`SELECT
      (SELECT count(*) FROM dandisets)::int AS dandisets,
      (SELECT count(*) FROM versions WHERE version <> 'draft')::int AS published,
      (SELECT count(*) FROM dandisets WHERE embargo_status <> 'OPEN')::int AS embargoed,
      (SELECT count(*) FROM dandiset_owners)::int AS owners,
      (SELECT count(*) FROM dandiset_stars)::int AS stars,
      (SELECT count(*) FROM dandiset_search_tokens)::int AS search_postings,
      (SELECT avg(length(metadata::text)) FROM versions)::int AS avg_metadata_bytes,
      pg_size_pretty(pg_database_size(current_database())) AS database_size`);
    return row.rows[0] as Record<string, unknown>;
  });
  const seedSeconds = (performance.now() - started) / 1000;
  console.log(`seeded in ${seedSeconds.toFixed(1)} s:`, counts);

  // A published, an open draft-only and the middle dandiset: ids chosen from the seed's rules.
  const detailId = "005001"; // id % 20 == 1: has a published version
  // The noise floor: a route that does no database work, measured on the same machine at the same time.
  const baseline: Endpoint = { name: "baseline GET /api/info/", path: "/api/info/", targetP95Ms: TARGET_MS };
  const endpoints: Endpoint[] = [
    baseline,
    { name: "list (default order)", path: "/api/dandisets/", targetP95Ms: TARGET_MS },
    ...ORDERINGS.map((o) => ({
      name: `list ordering=${o}`,
      path: `/api/dandisets/?ordering=${o}`,
      targetP95Ms: TARGET_MS,
    })),
    { name: "search common word (neurons)", path: "/api/dandisets/?search=neurons", targetP95Ms: TARGET_MS },
    { name: `search rare word (${RARE_WORD})`, path: `/api/dandisets/?search=${RARE_WORD}`, targetP95Ms: TARGET_MS },
    { name: "detail", path: `/api/dandisets/${detailId}/`, targetP95Ms: TARGET_MS },
    { name: "draft version info", path: `/api/dandisets/${detailId}/versions/draft/info/`, targetP95Ms: TARGET_MS },
  ];
  // BENCH_ONLY=list,search keeps the baseline and the rows whose name contains one of the words.
  const only = process.env.BENCH_ONLY?.split(",").filter(Boolean);
  const chosen = only
    ? endpoints.filter((e) => e === baseline || only.some((word) => e.name.includes(word)))
    : endpoints;
  await runSuite("api-dandisets", url, chosen, { counts, seedSeconds });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDandisets();
}
