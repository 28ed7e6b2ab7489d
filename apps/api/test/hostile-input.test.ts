import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { registeredRoutes } from "./app-routes";
import { createTestContext } from "./context";

/**
 * Hostile input (issue 16): NUL characters in paths, queries and bodies of every
 * route, deeply nested JSON, oversized bodies and fields, long "words" in the
 * search index, bodies of anonymous writes, and concurrent stars.
 */

const ctx = await createTestContext();
const approved = await buildUser(ctx.prisma, { status: "APPROVED" });
const auth = { Authorization: `token ${approved.token}` };

/** A dandiset owned by the approved user, as a six-digit identifier. */
async function createDandiset(name = "Hostile"): Promise<string> {
  const res = await request(ctx.app).post("/api/dandisets/").set(auth).send({ name, metadata: {} }).expect(200);
  return res.body.identifier as string;
}
const dandisetId = await createDandiset();

/** Every route the app registers, as [METHOD, path] with Express's placeholders. */
function appRoutes(): [string, string][] {
  return registeredRoutes(ctx.app)
    .filter((r) => r.method !== "_ALL")
    .flatMap((r) =>
      [r.path]
        .flat()
        .filter((path) => typeof path === "string")
        .map((path): [string, string] => [r.method, `${r.prefix}${path}`]),
    );
}

/** A route's path with its parameters filled in: real ids where we have them, `fill` elsewhere. */
function concrete(path: string, fill?: string): string {
  return path
    .replace(/:dandisetId|:id(?=\/)/g, fill ?? dandisetId)
    .replace(/:version/g, fill ?? "draft")
    .replace(/\*\w+/g, fill ?? "x")
    .replace(/:\w+/g, fill ?? "x")
    .replace(/\{|\}/g, "");
}

function send(method: string, url: string, headers: Record<string, string> = {}) {
  return request(ctx.app)[method.toLowerCase() as "get"](url).set(headers);
}

const ROUTES = appRoutes();
const NUL_DETAIL = { detail: "Null characters are not allowed." };

describe("NUL characters, on every route", () => {
  it("enumerates the routes", () => {
    expect(ROUTES.length).toBeGreaterThan(60);
    expect(ROUTES).toContainEqual(["POST", "/api/blobs/digest/"]);
  });

  const cases = ROUTES.flatMap(([method, path]) =>
    (["anonymous", "approved"] as const).map((who) => [`${who} ${method} ${path}`, method, path, who] as const),
  );

  it.each(cases)("%s", async (_name, method, path, who) => {
    const headers = who === "approved" ? auth : {};
    const where: [string, request.Response][] = [];
    // In every path parameter.
    if (/[:*]/.test(path)) where.push(["path", await send(method, concrete(path, "a%00b"), headers)]);
    // In the query string: a key and a value.
    where.push(["query value", await send(method, `${concrete(path)}?search=a%00&name=b%00`, headers)]);
    where.push(["query key", await send(method, `${concrete(path)}?a%00=1`, headers)]);
    for (const [what, res] of where) {
      expect(res.status, `${what}: ${(res.text ?? "").slice(0, 200)}`).toBe(400);
      if (method !== "HEAD") expect(res.body).toEqual(NUL_DETAIL);
    }
    // In the body: a value and a key, deep down. Only bodies that reach parsing are refused for it.
    if (method === "GET" || method === "HEAD" || path.startsWith("/storage/")) return;
    for (const body of [
      { value: "a\u0000", name: "x\u0000", metadata: { a: [{ b: "c\u0000" }] } },
      { ["k\u0000"]: 1 },
    ]) {
      const res = await send(method, concrete(path), headers).send(body);
      expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
      if (who === "approved" && path.startsWith("/api/")) {
        expect(res.status, `${method} ${path}: ${res.text.slice(0, 200)}`).toBe(400);
        expect(res.body).toEqual(NUL_DETAIL);
      }
    }
  });

  it("refuses NUL in a form body too (the questionnaire form)", async () => {
    const res = await request(ctx.app)
      .post("/api/users/questionnaire-form/")
      .set(auth)
      .type("form")
      .send("organization=a%00b");
    expect(res.status).toBe(400);
    expect(res.body).toEqual(NUL_DETAIL);
  });

  it("refuses the issue's example, anonymously", async () => {
    const res = await request(ctx.app)
      .post("/api/blobs/digest/")
      .send({ algorithm: "dandi:dandi-etag", value: "a\u0000" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(NUL_DETAIL);
  });

  it("leaves nothing half-written", async () => {
    const before = (await request(ctx.app).get(`/api/dandisets/${dandisetId}/versions/draft/`).expect(200)).body;
    await request(ctx.app)
      .put(`/api/dandisets/${dandisetId}/versions/draft/`)
      .set(auth)
      .send({ name: "Changed", metadata: { ...before, description: "bad\u0000" } })
      .expect(400);
    const after = (await request(ctx.app).get(`/api/dandisets/${dandisetId}/versions/draft/`).expect(200)).body;
    expect(after).toEqual(before);
  });
});

/** `{"a": {"a": ... 1 ...}}`, `depth` objects deep, as JSON text (JSON.stringify would overflow the stack). */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

describe("deep JSON", () => {
  const asset = (d: number) =>
    `{"metadata": {"path": "a.nwb", "x": ${nested(d)}}, "blob_id": "00000000-0000-4000-8000-000000000000"}`;
  it.each([
    ["PUT", "/api/dandisets/:id/versions/draft/", (d: number) => `{"name": "Deep", "metadata": {"x": ${nested(d)}}}`],
    ["POST", "/api/dandisets/", (d: number) => `{"name": "Deep", "metadata": {"x": ${nested(d)}}}`],
    ["POST", "/api/dandisets/:id/versions/draft/assets/", asset],
    ["POST", "/api/blobs/digest/", (d: number) => `{"algorithm": "dandi:dandi-etag", "value": ${nested(d)}}`],
    ["POST", "/api/zarr/", (d: number) => `{"name": "z.zarr", "dandiset": ${nested(d)}}`],
    ["PUT", "/api/dandisets/:id/users/", (d: number) => `[${nested(d)}]`],
  ])(
    "%s %s: depth 1,000 and 100,000 are 400 (or 413 past the body limit), depth 20 passes",
    async (method, path, body) => {
      const url = path.replace(":id", dandisetId);
      for (const depth of [1_000, 100_000]) {
        const res = await send(method, url, { ...auth, "Content-Type": "application/json" }).send(body(depth));
        if (res.status === 413 && body(depth).length > 64 * 1024) continue;
        expect(res.status, res.text.slice(0, 200)).toBe(400);
        expect(res.body.detail).toMatch(/nesting deeper than 64 levels/);
      }
      const res = await send(method, url, { ...auth, "Content-Type": "application/json" }).send(body(20));
      expect(res.status).toBeLessThan(500);
      expect(String(res.body.detail ?? "")).not.toMatch(/deeper than/);
    },
  );

  it("metadata may nest 32 levels, within a body that may nest 64", async () => {
    const put = (d: number) =>
      request(ctx.app)
        .put(`/api/dandisets/${dandisetId}/versions/draft/`)
        .set({ ...auth, "Content-Type": "application/json" })
        .send(`{"name": "Deep", "metadata": {"x": ${nested(d)}}}`);
    const deep = await put(40);
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual({ detail: "Metadata may not nest deeper than 32 levels." });
    expect((await put(30)).status).toBe(200);
  });
});

describe("sizes", () => {
  async function saveDescription(id: string, description: string) {
    const md = (await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200)).body;
    return request(ctx.app)
      .put(`/api/dandisets/${id}/versions/draft/`)
      .set(auth)
      .send({ name: "Long words", metadata: { ...md, description } });
  }
  const search = async (word: string) =>
    (
      await request(ctx.app)
        .get(`/api/dandisets/?search=${encodeURIComponent(word)}&draft=true&empty=true`)
        .expect(200)
    ).body.results.map((d: { identifier: string }) => d.identifier);

  it("a 10 KB word saves, and any part of it is found", async () => {
    const id = await createDandiset("Long words");
    // Letters only, so that the word is one token; distinct pieces so that substrings are unique.
    const word = Array.from({ length: 1000 }, (_, i) =>
      `w${(i * 7919).toString(36)}q`.replace(/\d/g, (c) => "abcdefghij"[+c]!),
    )
      .join("")
      .slice(0, 10_000);
    const res = await saveDescription(id, `before ${word} after`);
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    for (const start of [0, 99, 100, 4321, 9899, 9950]) {
      for (const len of [3, 50, 100]) {
        const part = word.slice(start, start + len);
        expect(await search(part), `${start}+${len}`).toContain(id);
      }
    }
    // Longer than a piece: answered from the search text.
    expect(await search(word.slice(1234, 1234 + 500))).toContain(id);
    expect(await search(word.slice(8000, 9000))).toContain(id);
    expect(await search(`${word.slice(0, 50)}zzzzzz`)).not.toContain(id);
  });

  it("new words up to the vocabulary bound save", { timeout: 60_000 }, async () => {
    const id = await createDandiset("Many words");
    const words = Array.from({ length: 2500 }, (_, i) => `term${i}y${(i * 2654435761) % 1e9}`);
    const res = await saveDescription(id, words.join(" "));
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(await search(words[1234]!)).toEqual([id]);
  });

  it("a word as long as the field bound saves too", async () => {
    const id = await createDandiset("Longest");
    const res = await saveDescription(id, "x".repeat(100_000));
    expect(res.status, res.text.slice(0, 200)).toBe(200);
  });

  it("a 1 MB description is refused at once", async () => {
    const started = Date.now();
    const res = await saveDescription(dandisetId, "lorem ipsum ".repeat(90_000));
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/at most 100000 characters/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("metadata over the document bound is refused, within the body limit", async () => {
    const md = { many: Array.from({ length: 1500 }, () => "y".repeat(900)) };
    const res = await request(ctx.app)
      .put(`/api/dandisets/${dandisetId}/versions/draft/`)
      .set(auth)
      .send({ name: "Big", metadata: md });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/Metadata may be at most/);
  });

  it("metadata adding too many new words to the search vocabulary is refused at once", async () => {
    const started = Date.now();
    const words = Array.from({ length: 4000 }, (_, i) => `word${i}x${(i * 2654435761) % 1e9}`);
    const res = await request(ctx.app)
      .put(`/api/dandisets/${dandisetId}/versions/draft/`)
      .set(auth)
      .send({ name: "Wordy", metadata: { keywords: words } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/too many distinct words/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("an asset's indexed fields stay within index limits", async () => {
    const res = await request(ctx.app)
      .post(`/api/dandisets/${dandisetId}/versions/draft/assets/`)
      .set(auth)
      .send({
        metadata: { path: "big.nwb", wasAttributedTo: [{ species: { name: "z".repeat(3000) } }] },
        blob_id: "00000000-0000-4000-8000-000000000000",
      });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/wasAttributedTo\[0\]\.species\.name/);
  });

  it("bodies are limited per route: a metadata PUT takes MBs, a digest lookup KBs", async () => {
    const md = (await request(ctx.app).get(`/api/dandisets/${dandisetId}/versions/draft/`).expect(200)).body;
    const mb = {
      name: "Roomy",
      metadata: { ...md, keywords: Array.from({ length: 1200 }, (_, i) => `keyword ${i} `.repeat(60)) },
    };
    expect(JSON.stringify(mb).length).toBeGreaterThan(800_000);
    const ok = await request(ctx.app).put(`/api/dandisets/${dandisetId}/versions/draft/`).set(auth).send(mb);
    expect(ok.status, ok.text.slice(0, 200)).toBe(200);
    const tooBig = await request(ctx.app)
      .put(`/api/dandisets/${dandisetId}/versions/draft/`)
      .set(auth)
      .send({ name: "x", metadata: { blob: "b".repeat(5 * 1024 * 1024) } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toEqual({ detail: "Request body too large." });
    const digest = await request(ctx.app)
      .post("/api/blobs/digest/")
      .send({ algorithm: "dandi:dandi-etag", value: "v".repeat(100 * 1024) });
    expect(digest.status).toBe(413);
  });

  it("an unsupported body charset is a 415, not a 500", async () => {
    const res = await request(ctx.app)
      .post("/api/blobs/digest/")
      .set("Content-Type", "application/json; charset=x-unknown")
      .send('{"value": "a"}');
    expect(res.status).toBe(415);
    expect(res.body.detail).toBeTypeOf("string");
  });

  it("a malformed %-escape in a path is a 400", async () => {
    const res = await request(ctx.app).get("/api/dandisets/%E0%A4%A/");
    expect(res.status).toBe(400);
  });
});

const server = http.createServer(ctx.app);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
const port = (server.address() as AddressInfo).port;

describe("authentication before the body", () => {
  /** Sends the headers of a `length`-byte JSON body and only its first KB; resolves with the answer. */
  function partialPost(path: string, length: number, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(length), ...headers },
      });
      req.on("response", (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          resolve({ status: res.statusCode!, body });
          req.destroy();
        });
      });
      req.on("error", reject);
      req.write(`{"name": "${"x".repeat(1000)}`);
      setTimeout(() => reject(new Error("no answer before the body was sent: the body was awaited")), 3000).unref();
    });
  }

  it("an anonymous write is refused before its body is read", async () => {
    const res = await partialPost("/api/dandisets/", 19 * 1024 * 1024);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ detail: "Authentication credentials were not provided." });
  });

  it("a bad token is refused before its body is read", async () => {
    const res = await partialPost("/api/dandisets/", 19 * 1024 * 1024, { authorization: "token nope" });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ detail: "Invalid token." });
  });

  it("a body longer than the route's limit is refused from its Content-Length", async () => {
    const res = await partialPost("/api/blobs/digest/", 19 * 1024 * 1024);
    expect(res.status).toBe(413);
  });
});

describe("concurrent stars", () => {
  it("50 parallel stars and unstars by one user: no 5xx, and a count that matches the stars", async () => {
    const id = await createDandiset("Starry");
    const other = await buildUser(ctx.prisma, { status: "APPROVED" });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const who = i % 5 === 0 ? { Authorization: `token ${other.token}` } : auth;
        const url = `/api/dandisets/${id}/star/`;
        return (i % 2 ? request(ctx.app).delete(url) : request(ctx.app).post(url)).set(who);
      }),
    );
    for (const res of results) expect(res.status, res.text).toBe(200);
    const dandiset = await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: Number(id) } });
    const stars = await ctx.prisma.dandisetStar.count({ where: { dandisetId: Number(id) } });
    expect(dandiset.starCount).toBe(stars);
    // And it keeps working: star, star again, unstar.
    expect((await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth).expect(200)).body.count).toBe(
      await ctx.prisma.dandisetStar.count({ where: { dandisetId: Number(id) } }),
    );
    await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth).expect(200);
    const detail = (await request(ctx.app).get(`/api/dandisets/${id}/`).set(auth).expect(200)).body;
    expect(detail.is_starred).toBe(true);
    await request(ctx.app).delete(`/api/dandisets/${id}/star/`).set(auth).expect(200);
    const final = await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: Number(id) } });
    expect(final.starCount).toBe(await ctx.prisma.dandisetStar.count({ where: { dandisetId: Number(id) } }));
  });
});
