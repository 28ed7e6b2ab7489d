import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { HASHED_KEY_MESSAGE } from "@dandi/core";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const auth = (token: string) => ({ Authorization: `token ${token}` });

describe("/api/auth/token/", () => {
  it("is 401 for anonymous callers, GET and POST", async () => {
    await request(ctx.app).get("/api/auth/token/").expect(401);
    await request(ctx.app).post("/api/auth/token/").expect(401);
  });

  it("reads the Authorization header as DRF: 401s carry DANDI's WWW-Authenticate, other schemes are anonymous", async () => {
    const anonymous = await request(ctx.app).get("/api/auth/token/").expect(401);
    expect(anonymous.headers["www-authenticate"]).toBe('Bearer realm="api"');
    const bad = await request(ctx.app)
      .get("/api/auth/token/")
      .set(auth("0".repeat(40)))
      .expect(401);
    expect(bad.body).toEqual({ detail: "Invalid token." });
    expect(bad.headers["www-authenticate"]).toBe('Bearer realm="api"');
    for (const [header, detail] of [
      ["token", "Invalid token header. No credentials provided."],
      ["Token a b", "Invalid token header. Token string should not contain spaces."],
    ]) {
      const res = await request(ctx.app).get("/api/info/").set({ Authorization: header! }).expect(401);
      expect(res.body).toEqual({ detail });
    }
    // Not TokenAuthentication's scheme: the request goes on unauthenticated.
    const basic = await request(ctx.app).get("/api/info/").set({ Authorization: "Basic dXNlcjpwYXNz" }).expect(200);
    expect(basic.headers["x-request-username"]).toBe("AnonymousUser");
    await request(ctx.app).get("/api/auth/token/").set({ Authorization: "Bearer abc" }).expect(401);
    const { token } = await buildUser(ctx.prisma);
    expect(
      (
        await request(ctx.app)
          .get("/api/auth/token/")
          .set({ Authorization: `TOKEN  ${token} ` })
          .expect(200)
      ).body,
    ).toBe(token);
  });

  it("is 403 for INCOMPLETE, PENDING and REJECTED users", async () => {
    for (const status of ["INCOMPLETE", "PENDING", "REJECTED"] as const) {
      const { token } = await buildUser(ctx.prisma, { status });
      await request(ctx.app).get("/api/auth/token/").set(auth(token)).expect(403);
      await request(ctx.app).post("/api/auth/token/").set(auth(token)).expect(403);
    }
  });

  it("GET returns the presented key for approved users and superusers", async () => {
    for (const options of [{}, { isSuperuser: true, status: "PENDING" as const }]) {
      const { token } = await buildUser(ctx.prisma, options);
      const res = await request(ctx.app).get("/api/auth/token/").set(auth(token)).expect(200);
      expect(res.body).toBe(token);
    }
  });

  it("answers the CLI's slash-less validation call", async () => {
    const { token } = await buildUser(ctx.prisma);
    const res = await request(ctx.app).get("/api/auth/token").set(auth(token)).expect(301);
    expect(res.headers.location).toBe("/api/auth/token/");
    // Followed as the CLI's requests does: the key is checked on the slashed route.
    expect((await request(ctx.app).get("/api/auth/token").redirects(1).set(auth(token)).expect(200)).body).toBe(token);
    await request(ctx.app)
      .get("/api/auth/token")
      .redirects(1)
      .set(auth("0".repeat(40)))
      .expect(401);
  });

  it("POST returns a new, different key that replaces the old one", async () => {
    const { token } = await buildUser(ctx.prisma);
    const res = await request(ctx.app).post("/api/auth/token/").set(auth(token)).expect(200);
    expect(res.body).toMatch(/^[0-9a-f]{40}$/);
    expect(res.body).not.toBe(token);
    await request(ctx.app).get("/api/auth/token/").set(auth(token)).expect(401);
    expect((await request(ctx.app).get("/api/auth/token/").set(auth(res.body)).expect(200)).body).toBe(res.body);
  });

  it("keys are stored hashed, never in plain text", async () => {
    const { user, token } = await buildUser(ctx.prisma);
    const row = await ctx.prisma.apiToken.findUniqueOrThrow({ where: { userId: user.id } });
    expect(JSON.stringify(row)).not.toContain(token);
  });
});

describe("readApiKey without a presented key (browser sessions)", async () => {
  const { readApiKey } = await import("@dandi/core");

  it("is 404 Not found when the user has no key", async () => {
    const { user } = await buildUser(ctx.prisma);
    await ctx.prisma.apiToken.delete({ where: { userId: user.id } });
    await expect(readApiKey(ctx.prisma, { user })).rejects.toMatchObject({
      status: 404,
      body: { detail: "Not found." },
    });
  });

  it("is 404 with the hashed-key explanation when a key exists", async () => {
    const { user } = await buildUser(ctx.prisma);
    await expect(readApiKey(ctx.prisma, { user })).rejects.toMatchObject({
      status: 404,
      body: { detail: HASHED_KEY_MESSAGE },
    });
  });
});
