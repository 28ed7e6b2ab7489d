import autocannon from "autocannon";
import type { ApiProcess } from "./api-process";

/** One HTTP request to measure. */
export interface Endpoint {
  /** Label printed in the tables. */
  name: string;
  /** Path and query, e.g. `/api/dandisets/?ordering=-id`. */
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** The status every response must have (200 unless told); others are counted as errors. */
  expectStatus?: number;
  /** Latency target for p95 at one client, ms. */
  targetP95Ms: number;
}

/** Figures of one fixed-duration run at a fixed number of concurrent clients. */
export interface RunFigures {
  connections: number;
  requests: number;
  /** Responses whose status was not the expected one, plus connection errors and timeouts. */
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** All figures of one endpoint. */
export interface EndpointResult {
  endpoint: Endpoint;
  /** Why it was not measured (e.g. the route is not built yet), if so. */
  skipped?: string;
  runs: RunFigures[];
  /** Peak RSS of the API process while this endpoint was measured, bytes. */
  peakRss: number;
  /** Size of one response body, bytes. */
  responseBytes: number;
}

export interface LoadSettings {
  /** Seconds of each measured run. */
  duration: number;
  /** Seconds of warm-up (16 clients, discarded) before the measured runs. */
  warmup: number;
  /** Concurrent client counts to measure at. */
  connections: number[];
}

/** Settings from BENCH_DURATION / BENCH_WARMUP / BENCH_CONNECTIONS, defaulting to 10 s, 3 s, "1,16". */
export function loadSettingsFromEnv(): LoadSettings {
  return {
    duration: Number(process.env.BENCH_DURATION ?? 10),
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    connections: (process.env.BENCH_CONNECTIONS ?? "1,16").split(",").map(Number),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Drives `connections` keep-alive clients, each sending the next request as soon
 * as the previous answer arrived (closed loop), for `duration` seconds. Every
 * latency is kept, so the percentiles are exact rather than histogram buckets.
 */
async function drive(baseUrl: string, endpoint: Endpoint, connections: number, duration: number): Promise<RunFigures> {
  const latencies: number[] = [];
  let errors = 0;
  const expected = endpoint.expectStatus ?? 200;
  let finish!: (result: autocannon.Result) => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The callback form returns the instance, whose "response" events carry each latency.
  const instance = autocannon(
    {
      url: baseUrl + endpoint.path,
      method: endpoint.method ?? "GET",
      headers: endpoint.headers,
      body: endpoint.body,
      connections,
      pipelining: 1,
      duration,
      timeout: 30,
    },
    (err, result) => (err ? fail(err) : finish(result)),
  );
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode === expected) latencies.push(responseTime);
    else errors++;
  });
  const result = await done;
  errors += result.errors + result.timeouts;
  latencies.sort((a, b) => a - b);
  const requests = latencies.length + errors;
  return {
    connections,
    requests,
    errors,
    rps: latencies.length / duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
  };
}

/**
 * Measures one endpoint: a probe request (skips the endpoint with the reason if
 * it does not answer with the expected status), a warm-up, then one run per
 * client count. The API's peak RSS is restarted before the endpoint.
 */
export async function measureEndpoint(
  api: ApiProcess,
  endpoint: Endpoint,
  settings: LoadSettings,
): Promise<EndpointResult> {
  const probe = await fetch(api.baseUrl + endpoint.path, {
    method: endpoint.method ?? "GET",
    headers: endpoint.headers,
    body: endpoint.body,
    redirect: "manual",
  });
  const probeBody = await probe.arrayBuffer();
  const expected = endpoint.expectStatus ?? 200;
  if (probe.status !== expected) {
    const text = Buffer.from(probeBody).toString("utf8").slice(0, 160).replace(/\s+/g, " ");
    return {
      endpoint,
      skipped: `probe answered ${probe.status} (expected ${expected}): ${text}`,
      runs: [],
      peakRss: NaN,
      responseBytes: probeBody.byteLength,
    };
  }
  api.resetPeakRss();
  if (settings.warmup > 0) await drive(api.baseUrl, endpoint, 16, settings.warmup);
  const runs: RunFigures[] = [];
  for (const connections of settings.connections) {
    runs.push(await drive(api.baseUrl, endpoint, connections, settings.duration));
  }
  return { endpoint, runs, peakRss: api.peakRss(), responseBytes: probeBody.byteLength };
}
