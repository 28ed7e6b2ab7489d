import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { vi } from "vitest";

/**
 * A small local HTTP server that answers like the archive for component tests
 * (the SPA's real client, fetch and error handling run; nothing of ours is
 * mocked). `handle` gets each request and returns the status and JSON body,
 * or undefined for a 404. CORS is answered as the API does for the SPA.
 */
export interface TFakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}
export type TFakeResponse = { status?: number; body?: unknown } | undefined;

export interface TFakeApi {
  requests: TFakeRequest[];
  close: () => Promise<void>;
}

export async function startFakeApi(handle: (req: TFakeRequest) => TFakeResponse): Promise<TFakeApi> {
  const requests: TFakeRequest[] = [];
  const server: Server = createServer((req, res) => {
    const cors = {
      "access-control-allow-origin": req.headers.origin ?? "*",
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, POST, PUT, DELETE",
      "access-control-allow-headers": "*",
    };
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const url = new URL(req.url!, "http://fake");
      const request = {
        method: req.method!,
        path: url.pathname,
        query: url.searchParams,
        body: raw ? JSON.parse(raw) : undefined,
      };
      requests.push(request);
      const answer = handle(request);
      const status = answer?.status ?? (answer ? 200 : 404);
      const body = answer ? answer.body : { detail: "Not found." };
      if (body === undefined) return void res.writeHead(status, cors).end();
      res.writeHead(status, { ...cors, "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  vi.stubEnv("VITE_API_URL", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return { requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A DRF page of `results` (for list endpoints). */
export const pageOf = <T>(results: T[], count = results.length, next: string | null = null) => ({
  count,
  next,
  previous: null,
  results,
});
