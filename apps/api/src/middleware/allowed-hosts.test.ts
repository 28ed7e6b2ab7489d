import { describe, expect, it } from "vitest";
import request from "supertest";
import { loadConfig } from "@dandi/core";
import { createTestContext } from "../../test/context";
import { isAllowedHost } from "./allowed-hosts";

const ctx = await createTestContext({ ALLOWED_HOSTS: "api.example.org, .dandi.test" });
const REFUSED = { detail: "Bad Request: this host is not served here (ALLOWED_HOSTS)." };

describe("ALLOWED_HOSTS", () => {
  it("serves the allowed names, with a port, in any case, with a trailing dot, and subdomains of a .domain", async () => {
    for (const host of [
      "api.example.org",
      "api.example.org:443",
      "API.Example.ORG.",
      "dandi.test",
      "web.dandi.test:8000",
    ]) {
      const res = await request(ctx.app).get("/api/info/").set("Host", host);
      expect(res.status, host).toBe(200);
    }
  });

  it("answers 400 in DRF's shape for any other Host, before authentication, whatever X-Forwarded-Host says", async () => {
    for (const host of ["evil.example", "evilapi.example.org", "notdandi.test", "127.0.0.1:8000", "[::1]:8000"]) {
      const res = await request(ctx.app).get("/api/info/").set("Host", host);
      expect(res.status, host).toBe(400);
      expect(res.body).toEqual(REFUSED);
    }
    const spoofed = await request(ctx.app)
      .get("/api/info/")
      .set("Host", "evil.example")
      .set("X-Forwarded-Host", "api.example.org");
    expect(spoofed.status).toBe(400);
    const write = await request(ctx.app)
      .post("/api/dandisets/")
      .set("Host", "evil.example")
      .set("Authorization", "token not-a-key")
      .send({ name: "x", metadata: {} });
    expect(write.status).toBe(400);
    expect(write.body).toEqual(REFUSED);
  });

  it("keeps the health probe usable whatever the Host (a platform or proxy probe may use an IP)", async () => {
    // The host check lets /api/health/ through to its router (200 from /api/health/live).
    const res = await request(ctx.app).get("/api/health/live").set("Host", "10.0.0.7:8000");
    expect(res.status).not.toBe(400);
    expect(res.body).not.toEqual(REFUSED);
    expect((await request(ctx.app).get("/api/info/").set("Host", "10.0.0.7:8000")).status).toBe(400);
  });

  it("allows any host by default (*), and matches like Django", () => {
    const config = loadConfig({ DATABASE_URL: "postgresql://x@h/db", SESSION_SECRET: "s".repeat(32) });
    expect(config.ALLOWED_HOSTS).toEqual(["*"]);
    expect(isAllowedHost("anything.example", config.ALLOWED_HOSTS)).toBe(true);
    expect(isAllowedHost("example.org", [".example.org"])).toBe(true);
    expect(isAllowedHost("a.b.example.org", [".example.org"])).toBe(true);
    expect(isAllowedHost("badexample.org", [".example.org"])).toBe(false);
    expect(isAllowedHost("example.org", [])).toBe(false);
  });
});
