import { createHash } from "node:crypto";
import { DESCRIPTION_WORDS } from "../lib/vocabulary";
import type { TClientUser, TLoadFixtures } from "./fixtures";
import type { THttpClient, THttpResponse, TRequestOptions } from "./http";

export interface TOpStats {
  name: string;
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface TMixResult {
  seconds: number;
  stats: TOpStats[];
  total: TOpStats;
  /** Up to three examples of each operation's errors (status and the start of the body). */
  errorSamples: Record<string, string[]>;
}

/** A small seeded PRNG (mulberry32), so every run draws the same operation sequence per client. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, number>();
  readonly samples: Record<string, string[]> = {};

  record(name: string, ms: number, error?: string): void {
    let list = this.latencies.get(name);
    if (!list) this.latencies.set(name, (list = []));
    list.push(ms);
    if (error !== undefined) {
      this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
      const samples = (this.samples[name] ??= []);
      if (samples.length < 3) samples.push(error);
    }
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function summarize(name: string, latencies: number[], errors: number): TOpStats {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    name,
    count: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

interface TClientState {
  index: number;
  user: TClientUser;
  random: () => number;
  /** Reads go out anonymously from even clients, with the key from odd ones. */
  readToken: string | undefined;
  starred: string | null;
  metadata: Record<string, unknown> | null;
  edits: number;
}

type TOp = (ctx: TOpContext) => Promise<void>;

interface TOpContext {
  state: TClientState;
  fixtures: TLoadFixtures;
  /** Sends a request and records it under `name`; a status other than `expected` is an error. */
  call(name: string, options: TRequestOptions, expected?: number): Promise<THttpResponse | undefined>;
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const dandisetId = (n: number) => String(n).padStart(6, "0");
const ORDERINGS = ["-modified", "name", "-name", "id", "-id", "size", "-size", "stars"];
const WORDS = DESCRIPTION_WORDS as readonly string[];

/** A read: GET `path(state)` sent anonymously or with the key (TClientState.readToken). */
function read(name: string, path: (ctx: TOpContext) => string, expected = 200): TOp {
  return async (ctx) => {
    await ctx.call(name, { path: path(ctx), token: ctx.state.readToken }, expected);
  };
}

const subject = (random: () => number) => `sub-0${1 + Math.floor(random() * 9)}`;

/** The mix: [operation, weight, op]; weights sum to 100. */
const MIX: [string, number, TOp][] = [
  [
    "list dandisets",
    16,
    read(
      "list dandisets",
      ({ state }) =>
        `/api/dandisets/?page=${1 + Math.floor(state.random() * 40)}&page_size=8&ordering=${pick(state.random, ORDERINGS)}`,
    ),
  ],
  [
    "search dandisets",
    8,
    read(
      "search dandisets",
      ({ state }) => `/api/dandisets/?search=${encodeURIComponent(pick(state.random, WORDS))}&page_size=8`,
    ),
  ],
  [
    "dandiset detail",
    12,
    read(
      "dandiset detail",
      ({ state, fixtures }) => `/api/dandisets/${openDandiset(state.random, fixtures.dandisets)}/`,
    ),
  ],
  [
    "version info",
    6,
    read(
      "version info",
      ({ state, fixtures }) => `/api/dandisets/${openDandiset(state.random, fixtures.dandisets)}/versions/draft/info/`,
    ),
  ],
  [
    "assets list",
    12,
    read(
      "assets list",
      ({ state, fixtures }) =>
        `/api/dandisets/${pick(state.random, fixtures.assetDandisets)}/versions/draft/assets/?page_size=100${
          state.random() < 0.3 ? `&path=${subject(state.random)}/` : ""
        }`,
    ),
  ],
  [
    "asset paths",
    5,
    read(
      "asset paths",
      ({ state, fixtures }) =>
        `/api/dandisets/${pick(state.random, fixtures.assetDandisets)}/versions/draft/assets/paths/?path_prefix=${
          state.random() < 0.5 ? "" : subject(state.random)
        }`,
    ),
  ],
  [
    "asset metadata",
    6,
    read("asset metadata", ({ state, fixtures }) => `/api/assets/${pick(state.random, fixtures.assets)}/`),
  ],
  [
    "asset download (302)",
    10,
    read(
      "asset download (302)",
      ({ state, fixtures }) => `/api/assets/${pick(state.random, fixtures.assets)}/download/`,
      302,
    ),
  ],
  [
    "asset search",
    3,
    read(
      "asset search",
      ({ state }) =>
        `/api/dandisets/search/?file_type=application%2Fx-nwb&page_size=8&page=${1 + Math.floor(state.random() * 2)}`,
    ),
  ],
  [
    "users/me",
    4,
    async ({ state, call }) => {
      await call("users/me", { path: "/api/users/me/", token: state.user.token });
    },
  ],
  ["metadata PUT (draft)", 6, putMetadata],
  ["star/unstar", 8, toggleStar],
  ["upload initialize+complete", 4, initializeAndComplete],
];

/** A random OPEN dandiset's identifier: ids divisible by 333 are embargoed in the seed (they answer 401/403). */
function openDandiset(random: () => number, count: number): string {
  for (;;) {
    const id = 1 + Math.floor(random() * count);
    if (id % 333 !== 0) return dandisetId(id);
  }
}

async function putMetadata({ state, call }: TOpContext): Promise<void> {
  const path = `/api/dandisets/${state.user.dandiset}/versions/draft/`;
  if (!state.metadata) {
    const res = await call("metadata GET (draft)", { path, token: state.user.token });
    if (!res || res.status !== 200) return;
    state.metadata = JSON.parse(res.body) as Record<string, unknown>;
  }
  const base = String(state.metadata.description ?? "").replace(/ Revision \d+\.$/, "");
  state.edits += 1;
  const metadata = { ...state.metadata, description: `${base} Revision ${state.edits}.` };
  await call("metadata PUT (draft)", {
    method: "PUT",
    path,
    token: state.user.token,
    json: { name: String(state.metadata.name ?? "Load test"), metadata },
  });
}

async function toggleStar({ state, fixtures, call }: TOpContext): Promise<void> {
  if (state.starred) {
    const id = state.starred;
    state.starred = null;
    await call("star/unstar", { method: "DELETE", path: `/api/dandisets/${id}/star/`, token: state.user.token });
  } else {
    const id = openDandiset(state.random, fixtures.dandisets);
    state.starred = id;
    await call("star/unstar", { method: "POST", path: `/api/dandisets/${id}/star/`, token: state.user.token });
  }
}

async function initializeAndComplete({ state, call }: TOpContext): Promise<void> {
  // A new blob every time (a random etag), of 1-200 MiB: one to four 64 MiB parts.
  const size = 1 + Math.floor(state.random() * 200 * 1024 * 1024);
  const etag = `${createHash("md5").update(`${state.index}-${state.random()}`).digest("hex")}-${Math.ceil(size / (64 * 1024 * 1024))}`;
  const init = await call("upload initialize", {
    method: "POST",
    path: "/api/uploads/initialize/",
    token: state.user.token,
    json: { contentSize: size, digest: { algorithm: "dandi:dandi-etag", value: etag }, dandiset: state.user.dandiset },
  });
  if (!init || init.status !== 200) return;
  const { upload_id: uploadId, parts } = JSON.parse(init.body) as {
    upload_id: string;
    parts: { part_number: number; size: number }[];
  };
  await call("upload complete", {
    method: "POST",
    path: `/api/uploads/${uploadId}/complete/`,
    token: state.user.token,
    json: {
      parts: parts.map((p) => ({
        part_number: p.part_number,
        size: p.size,
        etag: createHash("md5").update(String(p.part_number)).digest("hex"),
      })),
    },
  });
}

/**
 * Runs `clients` closed-loop clients for `seconds`: each draws an operation from
 * MIX by weight and sends its next request as soon as the previous one answered.
 */
export async function runMix(
  http: THttpClient,
  fixtures: TLoadFixtures,
  clients: number,
  seconds: number,
): Promise<TMixResult> {
  const recorder = new Recorder();
  const totalWeight = MIX.reduce((sum, [, w]) => sum + w, 0);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const call: TOpContext["call"] = async (name, options, expected = 200) => {
    const t0 = performance.now();
    try {
      const res = await http.request(options);
      const ms = performance.now() - t0;
      recorder.record(name, ms, res.status === expected ? undefined : `${res.status} ${res.body.slice(0, 160)}`);
      return res;
    } catch (err) {
      recorder.record(name, performance.now() - t0, String(err));
      return undefined;
    }
  };
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const user = fixtures.users[index % fixtures.users.length]!;
      const state: TClientState = {
        index,
        user,
        random: prng(1000 + index),
        readToken: index % 2 === 1 ? user.token : undefined,
        starred: null,
        metadata: null,
        edits: 0,
      };
      while (performance.now() < deadline) {
        let roll = state.random() * totalWeight;
        const op = MIX.find(([, weight]) => (roll -= weight) < 0) ?? MIX[0]!;
        await op[2]({ state, fixtures, call });
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const stats = [...recorder.latencies.entries()].map(([name, l]) =>
    summarize(name, l, recorder.errors.get(name) ?? 0),
  );
  const all = [...recorder.latencies.values()].flat();
  const errors = [...recorder.errors.values()].reduce((a, b) => a + b, 0);
  return { seconds: elapsed, stats, total: summarize("all", all, errors), errorSamples: recorder.samples };
}
