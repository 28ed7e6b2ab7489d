import http from "node:http";

export interface THttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface TRequestOptions {
  method?: string;
  path: string;
  token?: string;
  /** A JSON body (serialised here) or raw bytes. */
  json?: unknown;
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export interface THttpClient {
  baseUrl: string;
  request(options: TRequestOptions): Promise<THttpResponse>;
  close(): void;
}

/**
 * A keep-alive HTTP/1.1 client with one socket per concurrent client (node:http
 * rather than fetch: less client-side CPU on a machine the API shares). Redirects
 * are not followed; an absolute URL (a presigned one) is sent to its own origin.
 */
export function createHttpClient(baseUrl: string, sockets: number): THttpClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  return {
    baseUrl,
    request({ method = "GET", path, token, json, raw, headers = {} }) {
      const url = new URL(path, baseUrl);
      const body =
        json !== undefined ? Buffer.from(JSON.stringify(json)) : raw !== undefined ? Buffer.from(raw) : undefined;
      return new Promise((resolve, reject) => {
        const req = http.request(
          url,
          {
            method,
            agent,
            headers: {
              ...(token ? { Authorization: `token ${token}` } : {}),
              ...(json !== undefined ? { "Content-Type": "application/json" } : {}),
              ...(body ? { "Content-Length": String(body.length) } : {}),
              ...headers,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }),
            );
            res.on("error", reject);
          },
        );
        req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
        req.on("error", reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
