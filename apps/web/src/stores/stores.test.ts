// @vitest-environment node
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPinia, setActivePinia } from "pinia";

/**
 * The stores run against a small local HTTP server that answers like the
 * archive (no module of ours is mocked): the client's real fetch, headers
 * and error handling are exercised.
 */
type THandler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: THandler;
const seen: { method: string; url: string; headers: IncomingMessage["headers"] }[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  vi.stubEnv("VITE_API_URL", `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
afterAll(() => server.close());
beforeEach(() => {
  setActivePinia(createPinia());
  seen.length = 0;
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

describe("auth store", () => {
  it("loads the user and treats 401 as signed out", async () => {
    const { useAuthStore } = await import("./auth");
    const auth = useAuthStore();
    handler = (_req, res) => json(res, 200, { username: "jane", name: "Jane", admin: false, status: "APPROVED" });
    await auth.fetchMe();
    expect(auth.user?.username).toBe("jane");
    expect(auth.isApproved).toBe(true);
    expect(seen[0]!.url).toBe("/api/users/me/");

    handler = (_req, res) => json(res, 401, { detail: "Authentication credentials were not provided." });
    await auth.fetchMe();
    expect(auth.user).toBeNull();
    expect(auth.error).toBeNull();
  });

  it("signs in with a password, sending JSON and the CSRF header", async () => {
    const { useAuthStore } = await import("./auth");
    const auth = useAuthStore();
    let loginBody = "";
    handler = (req, res, body) => {
      if (req.url === "/api/auth/login/") {
        loginBody = body;
        return json(res, 200, {});
      }
      json(res, 200, { username: "jane", name: "Jane", admin: true, status: "APPROVED" });
    };
    expect(await auth.signIn("jane@example.org", "secret")).toBe(true);
    expect(JSON.parse(loginBody)).toEqual({ email: "jane@example.org", password: "secret" });
    expect(seen[0]!.headers["x-csrf-token"]).toBe("1");
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(auth.isAdmin).toBe(true);

    handler = (_req, res) => json(res, 400, ["Invalid e-mail or password."]);
    expect(await auth.signIn("jane@example.org", "bad")).toBe(false);
    expect(auth.error).toBe("Invalid e-mail or password.");
  });
});

describe("dandiset store", () => {
  const dandiset = (status = "OPEN") => ({
    identifier: "000007",
    created: "2024-01-01T00:00:00.000000Z",
    modified: "2024-01-01T00:00:00.000000Z",
    contact_person: "Doe, Jane",
    embargo_status: status,
    most_recent_published_version: null,
    draft_version: { version: "draft", name: "D", asset_count: 1, size: 5, status: "Valid" },
  });
  const version = (v: string) => ({ version: v, name: "D", status: v === "draft" ? "Valid" : "Published" });

  it("loads a dandiset, its versions, owners and the draft info; reports a 404", async () => {
    const { useDandisetStore } = await import("./dandiset");
    const store = useDandisetStore();
    handler = (req, res) => {
      if (req.url === "/api/dandisets/000007/") return json(res, 200, dandiset());
      if (req.url!.startsWith("/api/dandisets/000007/versions/?"))
        return json(res, 200, { count: 1, next: null, previous: null, results: [version("draft")] });
      if (req.url === "/api/dandisets/000007/users/") return json(res, 200, [{ username: "jane", name: "Jane" }]);
      if (req.url === "/api/dandisets/000007/versions/draft/info/")
        return json(res, 200, {
          ...version("draft"),
          metadata: { name: "D" },
          asset_validation_errors: [],
          version_validation_errors: [],
        });
      json(res, 404, { detail: "Not found." });
    };
    await store.load("000007");
    expect(store.error).toBeNull();
    expect(store.info?.version).toBe("draft");
    expect(store.owners).toEqual([{ username: "jane", name: "Jane" }]);

    await store.load("000008");
    expect(store.errorStatus).toBe(404);
    expect(store.error).toBe("Not found.");
  });

  it("publishes and polls until the new version appears", async () => {
    const { useDandisetStore } = await import("./dandiset");
    const store = useDandisetStore();
    store.dandiset = dandiset() as never;
    store.versions = [version("draft")] as never;
    let polls = 0;
    handler = (req, res) => {
      if (req.method === "POST" && req.url === "/api/dandisets/000007/versions/draft/publish/")
        return json(res, 202, version("draft"));
      if (req.url === "/api/dandisets/000007/versions/draft/info/")
        return json(res, 200, { ...version("draft"), status: "Publishing" });
      if (req.url!.startsWith("/api/dandisets/000007/versions/?")) {
        polls += 1;
        const results = polls < 2 ? [version("draft")] : [version("0.240101.0000"), version("draft")];
        return json(res, 200, { count: results.length, next: null, previous: null, results });
      }
      json(res, 404, { detail: "Not found." });
    };
    const published = await store.publish();
    expect(published).toBe("0.240101.0000");
    expect(polls).toBe(2);
    expect(store.progress).toBe("Published version 0.240101.0000.");
  }, 15_000);

  it("surfaces a refused publish as an error", async () => {
    const { useDandisetStore } = await import("./dandiset");
    const store = useDandisetStore();
    store.dandiset = dandiset() as never;
    handler = (_req, res) => json(res, 403, { detail: "You do not have permission to perform this action." });
    expect(await store.publish()).toBeNull();
    expect(store.error).toBe("You do not have permission to perform this action.");
    expect(store.progress).toBeNull();
  });
});
