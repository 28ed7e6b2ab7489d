import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const auth = (token: string) => ({ Authorization: `token ${token}` });

describe("GET /api/users/me/", () => {
  it("is 401 for anonymous callers", async () => {
    await request(ctx.app).get("/api/users/me/").expect(401);
  });

  it("answers the GitHub login and name for a GitHub user", async () => {
    const { token } = await buildUser(ctx.prisma, { githubLogin: "odysseus", githubName: "Odysseus of Ithaca" });
    const res = await request(ctx.app).get("/api/users/me/").set(auth(token)).expect(200);
    expect(res.body).toEqual({ username: "odysseus", name: "Odysseus of Ithaca", admin: false, status: "APPROVED" });
  });

  it("falls back to username and first/last name, for every status", async () => {
    for (const status of ["INCOMPLETE", "PENDING", "REJECTED", "APPROVED"] as const) {
      const { user, token } = await buildUser(ctx.prisma, { status, firstName: "Pen", lastName: "Elope" });
      const res = await request(ctx.app).get("/api/users/me/").set(auth(token)).expect(200);
      expect(res.body).toEqual({ username: user.username, name: "Pen Elope", admin: false, status });
    }
  });

  it("reports superusers as admin", async () => {
    const { token } = await buildUser(ctx.prisma, { isSuperuser: true });
    const res = await request(ctx.app).get("/api/users/me/").set(auth(token)).expect(200);
    expect(res.body.admin).toBe(true);
  });
});

describe("GET /api/users/search/", () => {
  it("is 401 for anonymous callers and 403 for unapproved users", async () => {
    await request(ctx.app).get("/api/users/search/?username=a").expect(401);
    for (const status of ["INCOMPLETE", "PENDING", "REJECTED"] as const) {
      const { token } = await buildUser(ctx.prisma, { status });
      const res = await request(ctx.app).get("/api/users/search/?username=a").set(auth(token)).expect(403);
      expect(res.body).toEqual({ detail: "You do not have permission to perform this action." });
    }
  });

  it("returns at most 10 active APPROVED matches ordered by date joined", async () => {
    const { token } = await buildUser(ctx.prisma, { isSuperuser: true, status: "PENDING" });
    const base = Date.UTC(2020, 0, 1);
    const logins: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { user } = await buildUser(ctx.prisma, { githubLogin: `Odysseus-${i}`, githubName: `O ${i}` });
      // Joined in reverse creation order, so ordering by id would fail this test.
      await ctx.prisma.user.update({ where: { id: user.id }, data: { dateJoined: new Date(base - i * 86_400_000) } });
      logins.push(`Odysseus-${i}`);
    }
    await buildUser(ctx.prisma, { githubLogin: "odysseus-pending", status: "PENDING" });
    const { user: inactive } = await buildUser(ctx.prisma, { githubLogin: "odysseus-inactive" });
    await ctx.prisma.user.update({ where: { id: inactive.id }, data: { isActive: false } });

    const res = await request(ctx.app).get("/api/users/search/?username=ODYSSEUS").set(auth(token)).expect(200);
    expect(res.body).toHaveLength(10);
    expect(res.body.map((u: { username: string }) => u.username)).toEqual(logins.reverse().slice(0, 10));
    expect(res.body[0]).toEqual({ username: "Odysseus-11", name: "O 11", admin: false, status: "APPROVED" });
  });

  it("matches first and last names and usernames", async () => {
    const { token } = await buildUser(ctx.prisma);
    await buildUser(ctx.prisma, { firstName: "Telemachus", lastName: "Zz" });
    await buildUser(ctx.prisma, { lastName: "Laertiades" });
    await buildUser(ctx.prisma, { username: "eumaeus-the-swineherd" });
    for (const q of ["telemach", "LAERTIAD", "swineherd"]) {
      const res = await request(ctx.app).get(`/api/users/search/?username=${q}`).set(auth(token)).expect(200);
      expect(res.body).toHaveLength(1);
    }
  });

  it("answers [] for a blank or missing query", async () => {
    const { token } = await buildUser(ctx.prisma);
    expect((await request(ctx.app).get("/api/users/search/?username=").set(auth(token)).expect(200)).body).toEqual([]);
    expect((await request(ctx.app).get("/api/users/search/").set(auth(token)).expect(200)).body).toEqual([]);
  });
});

describe("GET /api/users/", () => {
  it("is 401 anonymous, 403 for a normal user, 200 for staff and superusers", async () => {
    await request(ctx.app).get("/api/users/").expect(401);
    const normal = await buildUser(ctx.prisma);
    await request(ctx.app).get("/api/users/").set(auth(normal.token)).expect(403);
    const staff = await buildUser(ctx.prisma, { isStaff: true });
    await request(ctx.app).get("/api/users/").set(auth(staff.token)).expect(200);
    const admin = await buildUser(ctx.prisma, { isSuperuser: true });
    await request(ctx.app).get("/api/users/").set(auth(admin.token)).expect(200);
  });

  it("lists sorted logins, only APPROVED ones with approved_only=true", async () => {
    const { token } = await buildUser(ctx.prisma, { isSuperuser: true, githubLogin: "zz-admin" });
    await buildUser(ctx.prisma, { githubLogin: "penelope", status: "PENDING" });
    await buildUser(ctx.prisma, { githubLogin: "argos" });
    const all = (await request(ctx.app).get("/api/users/").set(auth(token)).expect(200)).body as string[];
    expect(all).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(["penelope", "argos", "zz-admin"]));
    const approved = (await request(ctx.app).get("/api/users/?approved_only=true").set(auth(token)).expect(200))
      .body as string[];
    expect(approved).toContain("argos");
    expect(approved).not.toContain("penelope");
    await request(ctx.app).get("/api/users/?approved_only=maybe").set(auth(token)).expect(400);
  });
});
