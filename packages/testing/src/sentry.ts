import http from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import zlib from "node:zlib";

export interface SentryEnvelopeItem {
  header: { type: string; length?: number; [key: string]: unknown };
  /** JSON items parsed; others (attachments) as a Buffer. */
  payload: unknown;
}

export interface SentryEnvelope {
  /** The path's project id and the key the SDK authenticated with (query or X-Sentry-Auth). */
  projectId: string;
  publicKey: string | null;
  header: Record<string, unknown>;
  items: SentryEnvelopeItem[];
  /** The decoded (gunzipped) body as text, to check that no secret went out at all. */
  raw: string;
}

/** The parts of a Sentry error event that tests look at. */
export interface SentryEvent {
  event_id?: string;
  level?: string;
  message?: string;
  tags?: Record<string, string | number | boolean>;
  environment?: string;
  release?: string;
  user?: Record<string, unknown>;
  request?: { url?: string; headers?: Record<string, string>; query_string?: unknown; cookies?: unknown };
  exception?: { values?: { type?: string; value?: string }[] };
  breadcrumbs?: { message?: string; category?: string; data?: Record<string, unknown> }[];
  [key: string]: unknown;
}

export interface FakeSentry {
  /** The DSN to configure (SENTRY_DSN / VITE_SENTRY_DSN), exactly as a deployment would. */
  dsn: string;
  envelopes: SentryEnvelope[];
  /** Every error event that arrived, oldest first. */
  events(): SentryEvent[];
  /** Resolves with the first event (already arrived or arriving) that matches; rejects on timeout. */
  waitForEvent(match: (e: SentryEvent) => boolean, timeoutMs?: number): Promise<SentryEvent>;
  /** Every decoded body that arrived, joined. */
  rawText(): string;
  close(): Promise<void>;
}

/** Splits an envelope: a header line, then items of a header line and a payload (of `length` bytes, or one line). */
export function parseEnvelope(body: Buffer): Pick<SentryEnvelope, "header" | "items"> {
  let pos = 0;
  const line = (): Buffer => {
    const end = body.indexOf(0x0a, pos);
    const slice = body.subarray(pos, end === -1 ? body.length : end);
    pos = end === -1 ? body.length : end + 1;
    return slice;
  };
  const header = JSON.parse(line().toString("utf8")) as Record<string, unknown>;
  const items: SentryEnvelopeItem[] = [];
  while (pos < body.length) {
    const headerLine = line().toString("utf8").trim();
    if (!headerLine) continue;
    const itemHeader = JSON.parse(headerLine) as SentryEnvelopeItem["header"];
    let data: Buffer;
    if (typeof itemHeader.length === "number") {
      data = body.subarray(pos, pos + itemHeader.length);
      pos += itemHeader.length;
      if (body[pos] === 0x0a) pos += 1;
    } else {
      data = line();
    }
    let payload: unknown = data;
    if (itemHeader.type !== "attachment") {
      try {
        payload = JSON.parse(data.toString("utf8"));
      } catch {
        payload = data.toString("utf8");
      }
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

function publicKeyOf(req: http.IncomingMessage, url: URL): string | null {
  const auth = req.headers["x-sentry-auth"];
  const fromHeader = typeof auth === "string" ? /sentry_key=([^,\s]+)/.exec(auth)?.[1] : undefined;
  return fromHeader ?? url.searchParams.get("sentry_key");
}

/**
 * A local server speaking Sentry's envelope protocol (`POST /api/<project>/envelope/`, bodies
 * plain or gzip/deflate/br-encoded, key in X-Sentry-Auth or `?sentry_key=`), with CORS for the
 * browser SDK. It keeps what arrived for the test to assert on.
 */
export async function startFakeSentry(projectId = "4242", publicKey = "fakepublickey0123456789"): Promise<FakeSentry> {
  const envelopes: SentryEnvelope[] = [];
  const waiters = new Set<() => void>();
  const server = http.createServer((req, res) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Headers", "*");
    if (req.method === "OPTIONS") return void res.writeHead(204).end();
    const url = new URL(req.url ?? "/", "http://sentry.local");
    const m = /^\/api\/([^/]+)\/envelope\/?$/.exec(url.pathname);
    if (req.method !== "POST" || !m) return void res.writeHead(404).end();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        try {
          const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase();
          const decode = decoders[encoding];
          const body = decode ? await decode(Buffer.concat(chunks)) : Buffer.concat(chunks);
          const parsed = parseEnvelope(body);
          envelopes.push({ projectId: m[1]!, publicKey: publicKeyOf(req, url), ...parsed, raw: body.toString("utf8") });
          for (const wake of waiters) wake();
          res
            .writeHead(200, { "Content-Type": "application/json" })
            .end(JSON.stringify({ id: parsed.header.event_id }));
        } catch (err) {
          res.writeHead(400).end(String(err));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const events = () =>
    envelopes.flatMap((e) => e.items.filter((i) => i.header.type === "event").map((i) => i.payload as SentryEvent));
  return {
    dsn: `http://${publicKey}@127.0.0.1:${port}/${projectId}`,
    envelopes,
    events,
    rawText: () => envelopes.map((e) => e.raw).join("\n"),
    waitForEvent(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events().find(match);
          if (!found) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no matching Sentry event within ${timeoutMs} ms; ${events().length} event(s) arrived`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
