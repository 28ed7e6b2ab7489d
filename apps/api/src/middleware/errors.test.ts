import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorHandler } from "./errors";

/** A real Express server whose routes fail after their response has started, with our error handler. */
const lines: string[] = [];
const logger = pino(
  { level: "debug" },
  new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  }),
);
const app = express();
app.use((req, _res, next) => {
  req.log = logger;
  next();
});
app.get("/fails-mid-stream", (_req, res, next) => {
  res.writeHead(200, { "Content-Length": "1000" });
  res.write("x".repeat(100));
  // Later, as a storage stream fails: the headers and the first bytes are on the wire.
  setTimeout(() => next(new Error("storage read failed")), 50);
});
app.get("/client-left", (_req, res, next) => {
  res.writeHead(200, { "Content-Length": "1000" });
  res.write("x".repeat(100));
  setTimeout(() => next(Object.assign(new Error("aborted"), { code: "ECONNRESET" })), 50);
});
app.get("/ok", (_req, res) => {
  res.json({ ok: true });
});
app.use(errorHandler);
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = app.listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** GET: the status, the bytes received, and whether the connection was cut before the end. */
function get(path: string): Promise<{ status: number; bytes: number; cut: boolean }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { agent: false }, (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => (bytes += chunk.length));
        res.on("end", () => resolve({ status: res.statusCode!, bytes, cut: false }));
        res.on("aborted", () => resolve({ status: res.statusCode!, bytes, cut: true }));
        res.on("error", () => resolve({ status: res.statusCode!, bytes, cut: true }));
      })
      .on("error", reject);
  });
}

describe("errorHandler after the response has started", () => {
  it("cuts the connection instead of sending a second answer, and logs the fault once", async () => {
    lines.length = 0;
    const res = await get("/fails-mid-stream");
    expect(res).toMatchObject({ status: 200, cut: true });
    expect(res.bytes).toBeLessThan(1000);
    const log = lines.join("");
    expect(log).toContain("error after the response started");
    expect(log).toContain("storage read failed");
    expect(log).not.toMatch(/ERR_HTTP_HEADERS_SENT|Cannot set headers/);
    expect((await get("/ok")).status).toBe(200);
  });

  it("does not report a client that went away as an error", async () => {
    lines.length = 0;
    expect(await get("/client-left")).toMatchObject({ status: 200, cut: true });
    const errors = lines.map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 50);
    expect(errors).toEqual([]);
  });
});
