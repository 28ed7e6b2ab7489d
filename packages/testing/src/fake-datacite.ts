import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeDatacite {
  /** Base URL for DANDI_DOI_API_URL. */
  url: string;
  user: string;
  password: string;
  /** DOIs by name, with the attributes last sent. */
  dois: Map<string, Record<string, unknown>>;
  /** Every request: method, path and parsed body. */
  requests: { method: string; path: string; body: unknown }[];
  /** An outage: the next `count` requests are answered `status` (503 by default) and change nothing. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the part of the DataCite REST API the archive
 * uses: POST /dois (201, or 422 "This DOI has already been taken."), PUT
 * /dois/{doi}, GET /dois/{doi}, with Basic auth (401 otherwise) and JSON:API bodies; `failNext`
 * simulates an outage.
 */
export async function startFakeDatacite(user = "DANDI.TEST", password = "secret"): Promise<FakeDatacite> {
  const dois = new Map<string, Record<string, unknown>>();
  const requests: FakeDatacite["requests"] = [];
  const outage = { count: 0, status: 503 };
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const body = raw ? (JSON.parse(raw) as { data?: { attributes?: Record<string, unknown> } }) : null;
      const path = (req.url ?? "/").split("?")[0]!;
      requests.push({ method: req.method ?? "", path, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "Content-Type": "application/vnd.api+json" });
        res.end(JSON.stringify(payload));
      };
      if (outage.count > 0) {
        outage.count--;
        return send(outage.status, { errors: [{ status: String(outage.status), title: "Service unavailable" }] });
      }
      if (req.headers.authorization !== expected)
        return send(401, { errors: [{ status: "401", title: "Bad credentials." }] });
      const attributes = body?.data?.attributes ?? {};
      if (req.method === "POST" && path === "/dois") {
        const doi = String(attributes.doi ?? "");
        if (!doi) return send(422, { errors: [{ source: "doi", title: "Can't be blank" }] });
        if (dois.has(doi)) return send(422, { errors: [{ source: "doi", title: "This DOI has already been taken." }] });
        const state = attributes.event === "publish" ? "findable" : "draft";
        dois.set(doi, { ...attributes, state });
        return send(201, { data: { id: doi, type: "dois", attributes: { ...attributes, state } } });
      }
      const m = /^\/dois\/(.+)$/.exec(path);
      const doi = m ? decodeURIComponent(m[1]!) : "";
      if (m && req.method === "PUT") {
        const state = attributes.event === "publish" ? "findable" : ((dois.get(doi)?.state as string) ?? "draft");
        dois.set(doi, { ...attributes, state });
        return send(200, { data: { id: doi, type: "dois", attributes: { ...attributes, state } } });
      }
      if (m && req.method === "GET" && dois.has(doi))
        return send(200, { data: { id: doi, type: "dois", attributes: dois.get(doi) } });
      return send(404, { errors: [{ status: "404", title: "The resource you are looking for doesn't exist." }] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    user,
    password,
    dois,
    requests,
    failNext: (count, status = 503) => {
      outage.count = count;
      outage.status = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
