import { buildApi, startApi } from "./api-process";
import { type Endpoint, type EndpointResult, loadSettingsFromEnv, measureEndpoint } from "./load";
import { reportResults } from "./report";

/**
 * Starts ONE API process on `databaseUrl`, measures each endpoint in turn at
 * every client count, prints the table, and stops the process.
 */
export async function runSuite(
  suite: string,
  databaseUrl: string,
  endpoints: Endpoint[],
  extra: Record<string, unknown>,
): Promise<EndpointResult[]> {
  const settings = loadSettingsFromEnv();
  buildApi();
  const api = await startApi(databaseUrl);
  console.log(`API pid ${api.pid} at ${api.baseUrl}; RSS after start ${(api.rss() / 2 ** 20).toFixed(0)} MiB`);
  const results: EndpointResult[] = [];
  let overallPeak = 0;
  try {
    for (const endpoint of endpoints) {
      const result = await measureEndpoint(api, endpoint, settings);
      results.push(result);
      if (Number.isFinite(result.peakRss)) overallPeak = Math.max(overallPeak, result.peakRss);
      const one = result.runs[0];
      console.log(
        result.skipped
          ? `  ${endpoint.name}: not measured (${result.skipped})`
          : `  ${endpoint.name}: ${result.runs.map((r) => `${r.connections}c p95 ${r.p95.toFixed(1)} ms ${r.rps.toFixed(0)} req/s`).join(", ")}` +
              (one && one.errors ? ` (${one.errors} errors)` : ""),
      );
    }
  } finally {
    await api.stop();
  }
  reportResults(suite, results, settings, { ...extra, apiPeakRssBytes: overallPeak });
  console.log(`API process peak RSS over the whole run: ${(overallPeak / 2 ** 20).toFixed(0)} MiB`);
  return results;
}
