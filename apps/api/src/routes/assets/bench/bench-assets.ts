/**
 * Latency benchmark of the asset routes on a version of 1,000,000 assets.
 * Seed a database with seed-1m.sql, then, from apps/api:
 *   DATABASE_URL=postgresql://.../db npx tsx src/routes/assets/bench/bench-assets.ts
 * Prints p50/p95/max per scenario for sequential requests on one process.
 */
import type { AddressInfo } from "node:net";
import { loadConfig } from "@dandi/core";
import { createApp } from "../../../app";
import { buildDeps } from "../../../deps";

const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const config = loadConfig({
  SESSION_SECRET: "bench-session-secret-that-is-long-enough-0123",
  LOG_LEVEL: "silent",
  ...process.env,
  NODE_ENV: "production",
});
const deps = await buildDeps(config);
const server = createApp(deps).listen(0);
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const base = "/api/dandisets/000001/versions/draft/assets/";
const someAssets = (
  await deps.prisma.$queryRaw<{ id: string }[]>`
    SELECT asset_id::text AS id FROM assets ORDER BY id LIMIT 50 OFFSET 400000`
).map((r) => r.id);
const pick = (i: number) => someAssets[i % someAssets.length]!;

const scenarios: [string, (i: number) => string, number][] = [
  ["info (baseline)", () => "/api/info/", 200],
  ["list page 1", () => `${base}?page_size=100`, 200],
  ["list page 5000", () => `${base}?page_size=100&page=5000`, 200],
  ["list page 5000 -created", () => `${base}?page_size=100&page=5000&order=-created`, 200],
  ["list path filter", () => `${base}?path=sub-050/ses-1&page_size=100`, 200],
  ["list exact path", () => `${base}?path=sub-077/ses-42/file-17.nwb`, 200],
  ["paths 10k folder p1", () => `${base}paths/?path_prefix=sub-000/&page_size=100`, 200],
  ["paths 10k folder p100", () => `${base}paths/?path_prefix=sub-000/&page_size=100&page=100`, 200],
  ["paths root", () => `${base}paths/`, 200],
  ["asset detail nested", (i) => `${base}${pick(i)}/`, 200],
  ["asset detail top", (i) => `/api/assets/${pick(i)}/`, 200],
  ["download nested", (i) => `${base}${pick(i)}/download/`, 302],
  ["download top", (i) => `/api/assets/${pick(i)}/download/`, 302],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

// One warm-up pass: JIT, connection pool, and the chunk index of a freshly seeded version.
for (const [, url] of scenarios) await fetch(origin + url(0), { redirect: "manual" }).then((r) => r.arrayBuffer());
await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS ?? 3000)));

for (const [name, url, status] of scenarios) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(origin + url(i), { redirect: "manual" });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== status) throw new Error(`${name}: ${res.status} for ${url(i)}`);
  }
  times.sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${name.padEnd(26)} p50 ${f(percentile(times, 50))} ms  p95 ${f(percentile(times, 95))} ms  max ${f(times.at(-1)!)} ms`,
  );
}
server.close();
await deps.prisma.$disconnect();
process.exit(0);
