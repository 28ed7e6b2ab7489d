import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EndpointResult, LoadSettings } from "./load";

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "-");
const mib = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 2 ** 20).toFixed(0)} MiB` : "-");

/** One row per endpoint and client count, as a Markdown table; p95 at one client is judged against the target. */
export function formatResults(results: EndpointResult[]): string {
  const lines = [
    "| endpoint | clients | p50 ms | p95 ms | p99 ms | max ms | req/s | errors | body bytes | peak RSS | p95 target (1 client) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of results) {
    if (r.skipped) {
      lines.push(`| ${r.endpoint.name} | - | - | - | - | - | - | - | - | - | NOT MEASURED: ${r.skipped} |`);
      continue;
    }
    for (const run of r.runs) {
      const verdict =
        run.connections === 1
          ? `${run.p95 < r.endpoint.targetP95Ms && run.errors === 0 ? "ok" : "MISSED"} (< ${r.endpoint.targetP95Ms} ms)`
          : "";
      lines.push(
        `| ${r.endpoint.name} | ${run.connections} | ${ms(run.p50)} | ${ms(run.p95)} | ${ms(run.p99)} | ${ms(run.max)} | ` +
          `${run.rps.toFixed(0)} | ${run.errors} | ${r.responseBytes} | ${mib(r.peakRss)} | ${verdict} |`,
      );
    }
  }
  return lines.join("\n");
}

/** Prints the table and keeps a JSON copy under bench/results/ (ignored by git). */
export function reportResults(
  suite: string,
  results: EndpointResult[],
  settings: LoadSettings,
  extra: Record<string, unknown>,
): void {
  console.log(`\n## ${suite}\n`);
  console.log(
    `${settings.duration} s per run after a ${settings.warmup} s warm-up; latency = time to the whole response; ` +
      `peak RSS = the API process's VmHWM while that endpoint ran.`,
  );
  // Figures from a machine that is busy with other work are not comparable: say so.
  const [l1, l5] = os.loadavg();
  console.log(
    `Machine: ${os.cpus().length} cores, load average ${l1!.toFixed(1)} (1 min) / ${l5!.toFixed(1)} (5 min) at the end.\n`,
  );
  console.log(formatResults(results));
  const dir = path.join(import.meta.dirname, "..", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${suite}-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  fs.writeFileSync(file, JSON.stringify({ suite, settings, ...extra, results }, null, 2));
  console.log(`\n(JSON: ${path.relative(process.cwd(), file)})`);
}
