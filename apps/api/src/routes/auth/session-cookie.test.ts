import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { hashPassword } from "@dandi/core";
import { createTestContext } from "../../../test/context";

// Behind Heroku's router: the public URL is https and the router sends X-Forwarded-Proto.
const ctx = await createTestContext({ DANDI_API_URL: "https://api.test", DANDI_WEB_APP_URL: "https://web.test" });

describe("the session cookie on an https deployment", () => {
  it("is Secure, HttpOnly and SameSite=Lax", async () => {
    const { user } = await buildUser(ctx.prisma, { email: "s@lab.org" });
    await ctx.prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("pw-123456") } });
    const res = await request(ctx.app)
      .post("/api/auth/login/")
      .set("X-Forwarded-Proto", "https")
      .set("Origin", "https://web.test")
      .send({ email: "s@lab.org", password: "pw-123456" })
      .expect(200);
    const cookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((c) => c.startsWith("dandi_session="));
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });

  it("reports GitHub as not configured when no client id is set", async () => {
    const res = await request(ctx.app).get("/api/auth/providers/").expect(200);
    expect(res.body).toEqual({ github: false, password: true });
    await request(ctx.app).get("/api/auth/github/login/").expect(404);
  });
});
