import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser, startFakeGithub, startSmtpCapture } from "@dandi/testing";
import { hashPassword } from "@dandi/core";
import { createTestContext } from "../../../test/context";

const github = await startFakeGithub({
  id: 4242,
  login: "octo-neuro",
  name: "Octo Neuro",
  emails: [
    { email: "octo@example.com", primary: true, verified: true },
    { email: "octo-unverified@example.org", primary: false, verified: false },
  ],
});
const smtp = await startSmtpCapture();
const ctx = await createTestContext({
  ...github.env,
  SMTP_URL: smtp.url,
  LOGIN_RATE_LIMIT_PER_EMAIL: "3",
  LOGIN_RATE_LIMIT_PER_IP: "8",
});
afterAll(async () => {
  await github.close();
  await smtp.close();
});

/** The session cookie ("name=value") from a response's Set-Cookie. */
function sessionCookie(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
  return cookies.find((c) => c.startsWith("dandi_session="))?.split(";")[0];
}

/** Follows the OAuth round trip: login route → fake GitHub authorize → our callback. */
async function signInWithGithub(next?: string) {
  const start = await request(ctx.app)
    .get("/api/auth/github/login/")
    .query(next ? { next } : {})
    .expect(302);
  const authorize = new URL(start.headers.location as string);
  expect(authorize.origin).toBe(github.url);
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://api.test/api/auth/github/callback/");
  const stateCookie = sessionCookie(start);
  expect(stateCookie).toBeDefined();
  const approved = await fetch(authorize, { redirect: "manual" });
  expect(approved.status).toBe(302);
  const back = new URL(approved.headers.get("location")!);
  const callback = await request(ctx.app)
    .get(back.pathname + back.search)
    .set("Cookie", stateCookie!)
    .expect(302);
  return { callback, cookie: sessionCookie(callback) };
}

describe("GitHub sign-in", () => {
  it("creates an INCOMPLETE user, sends them to the questionnaire and the session works", async () => {
    const { callback, cookie } = await signInWithGithub("/dandiset/000001");
    expect(callback.headers.location).toBe(
      `http://web.test/questionnaire?next=${encodeURIComponent("http://web.test/dandiset/000001")}`,
    );
    expect(cookie).toBeDefined();
    const cookieHeader = ([] as string[]).concat(callback.headers["set-cookie"] ?? []).join(";");
    expect(cookieHeader).toMatch(/HttpOnly/i);
    expect(cookieHeader).toMatch(/SameSite=Lax/i);
    expect(cookieHeader).not.toMatch(/Secure/i);

    const me = await request(ctx.app).get("/api/users/me/").set("Cookie", cookie!).expect(200);
    expect(me.body).toEqual({ username: "octo-neuro", name: "Octo Neuro", admin: false, status: "INCOMPLETE" });
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { githubId: "4242" } });
    expect(user).toMatchObject({
      username: "octo-neuro",
      email: "octo@example.com",
      githubLogin: "octo-neuro",
      status: "INCOMPLETE",
    });
    expect(github.requests).toEqual(
      expect.arrayContaining([
        "GET /login/oauth/authorize",
        "POST /login/oauth/access_token",
        "GET /user",
        "GET /user/emails",
      ]),
    );
  });

  it("signs an existing approved user straight back to `next`, updating the GitHub name", async () => {
    await ctx.prisma.user.update({ where: { githubId: "4242" }, data: { status: "APPROVED" } });
    github.setUser({
      id: 4242,
      login: "octo-neuro",
      name: "Octo Renamed",
      emails: [{ email: "octo@example.com", primary: true, verified: true }],
    });
    const { callback, cookie } = await signInWithGithub("https://evil.example/steal");
    // A foreign `next` is not followed.
    expect(callback.headers.location).toBe("http://web.test");
    const me = await request(ctx.app).get("/api/users/me/").set("Cookie", cookie!).expect(200);
    expect(me.body.name).toBe("Octo Renamed");
    expect(await ctx.prisma.user.count({ where: { githubId: "4242" } })).toBe(1);
  });

  it("links a GitHub account to an existing account only through a verified e-mail", async () => {
    const { user: existing } = await buildUser(ctx.prisma, { email: "linked@lab.org", username: "linked@lab.org" });
    github.setUser({
      id: 5001,
      login: "linker",
      name: "Link Er",
      emails: [{ email: "linked@lab.org", primary: true, verified: true }],
    });
    await signInWithGithub();
    const linked = await ctx.prisma.user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(linked.githubId).toBe("5001");

    const { user: victim } = await buildUser(ctx.prisma, { email: "victim@lab.org" });
    github.setUser({
      id: 5002,
      login: "intruder",
      name: null,
      emails: [{ email: "victim@lab.org", primary: true, verified: false }],
    });
    await signInWithGithub();
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: victim.id } })).githubId).toBeNull();
    const intruder = await ctx.prisma.user.findUniqueOrThrow({ where: { githubId: "5002" } });
    expect(intruder.email).toBe("5002+intruder@users.noreply.github.com");
    expect(intruder.status).toBe("INCOMPLETE");
  });

  it("keeps usernames unique when a GitHub login is already taken", async () => {
    await buildUser(ctx.prisma, { username: "taken-login" });
    github.setUser({
      id: 5003,
      login: "taken-login",
      name: "T",
      emails: [{ email: "t@lab.org", primary: true, verified: true }],
    });
    await signInWithGithub();
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { githubId: "5003" } });
    expect(user.username).toBe("taken-login-5003");
    expect(user.githubLogin).toBe("taken-login");
  });

  it("rejects a callback whose state does not match the session", async () => {
    const start = await request(ctx.app).get("/api/auth/github/login/").expect(302);
    const approved = await fetch(new URL(start.headers.location as string), { redirect: "manual" });
    const back = new URL(approved.headers.get("location")!);
    // No session cookie: the state cannot be verified.
    const res = await request(ctx.app)
      .get(back.pathname + back.search)
      .expect(400);
    expect(res.body.detail).toMatch(/GitHub sign-in failed/);
  });

  it("reports GitHub as configured", async () => {
    const res = await request(ctx.app).get("/api/auth/providers/").expect(200);
    expect(res.body).toEqual({ github: true, password: true });
  });
});

describe("password sign-in", () => {
  it("starts a session for the right password and a generic 400 otherwise", async () => {
    const { user } = await buildUser(ctx.prisma, { email: "admin@example.org", isSuperuser: true });
    await ctx.prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword("correct horse battery") },
    });

    const wrong = await request(ctx.app)
      .post("/api/auth/login/")
      .set("X-CSRF-Token", "1")
      .send({ email: "admin@example.org", password: "nope" })
      .expect(400);
    const unknown = await request(ctx.app)
      .post("/api/auth/login/")
      .set("X-CSRF-Token", "1")
      .send({ email: "nobody@example.org", password: "nope" })
      .expect(400);
    expect(wrong.body).toEqual(unknown.body);

    const ok = await request(ctx.app)
      .post("/api/auth/login/")
      .set("Origin", "http://web.test")
      .send({ email: "ADMIN@example.org", password: "correct horse battery" })
      .expect(200);
    expect(ok.body).toMatchObject({ admin: true, status: "APPROVED" });
    const cookie = sessionCookie(ok)!;
    await request(ctx.app).get("/api/users/me/").set("Cookie", cookie).expect(200);

    // Sign-out ends the session server-side: the old cookie no longer authenticates.
    await request(ctx.app).post("/api/auth/logout/").set("Cookie", cookie).set("X-CSRF-Token", "1").expect(204);
    await request(ctx.app).get("/api/users/me/").set("Cookie", cookie).expect(401);
  });

  it("refuses a login without a trusted Origin or the CSRF header", async () => {
    await request(ctx.app).post("/api/auth/login/").send({ email: "admin@example.org", password: "x" }).expect(403);
    await request(ctx.app)
      .post("/api/auth/login/")
      .set("Origin", "https://evil.example")
      .set("X-CSRF-Token", "1")
      .send({ email: "admin@example.org", password: "x" })
      .expect(403);
  });

  it("rate-limits failed attempts per e-mail, with Retry-After", async () => {
    const email = "victim@example.org";
    for (let i = 0; i < 3; i++) {
      await request(ctx.app)
        .post("/api/auth/login/")
        .set("X-CSRF-Token", "1")
        .set("X-Forwarded-For", `10.0.0.${i + 1}`)
        .send({ email, password: `guess-${i}` })
        .expect(400);
    }
    const limited = await request(ctx.app)
      .post("/api/auth/login/")
      .set("X-CSRF-Token", "1")
      .set("X-Forwarded-For", "10.0.0.99")
      .send({ email, password: "guess-4" })
      .expect(429);
    expect(limited.body.detail).toMatch(/throttled/);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("rate-limits every attempt per client IP", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await request(ctx.app)
        .post("/api/auth/login/")
        .set("X-CSRF-Token", "1")
        .set("X-Forwarded-For", "192.0.2.7")
        .send({ email: `spray-${i}@example.org`, password: "x" });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 8).every((s) => s === 400)).toBe(true);
    expect(statuses[8]).toBe(429);
  });
});

describe("session CSRF protection", () => {
  it("refuses cookie-authenticated writes from a foreign Origin or without the header", async () => {
    // The approved GitHub user of the tests above.
    github.setUser({
      id: 4242,
      login: "octo-neuro",
      name: "Octo",
      emails: [{ email: "octo@example.com", primary: true, verified: true }],
    });
    const { cookie } = await signInWithGithub();
    await request(ctx.app).post("/api/auth/token/").set("Cookie", cookie!).expect(403);
    await request(ctx.app)
      .post("/api/auth/token/")
      .set("Cookie", cookie!)
      .set("Origin", "https://evil.example")
      .expect(403);
    const ok = await request(ctx.app)
      .post("/api/auth/token/")
      .set("Cookie", cookie!)
      .set("Origin", "http://web.test")
      .expect(200);
    expect(ok.body).toMatch(/^[0-9a-f]{40}$/);
  });
});
