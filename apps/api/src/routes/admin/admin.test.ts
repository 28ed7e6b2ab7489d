import { afterAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url, DANDI_ADMIN_EMAIL: "admins@dandi.test" });
afterAll(() => smtp.close());
beforeEach(() => smtp.clear());

const admin = await buildUser(ctx.prisma, { isSuperuser: true, username: "root", email: "root@dandi.test" });
const staff = await buildUser(ctx.prisma, { isStaff: true });
const normal = await buildUser(ctx.prisma);
const auth = (t: { token: string }) => ({ Authorization: `token ${t.token}` });

describe("GET /api/admin/users/", () => {
  it("is for staff and superusers only", async () => {
    await request(ctx.app).get("/api/admin/users/").expect(401);
    await request(ctx.app).get("/api/admin/users/").set(auth(normal)).expect(403);
    await request(ctx.app).get("/api/admin/users/").set(auth(staff)).expect(200);
    await request(ctx.app).get("/api/admin/users/").set(auth(admin)).expect(200);
  });

  it("filters by status and search, paginates and never shows secrets", async () => {
    await buildUser(ctx.prisma, { status: "PENDING", username: "pending-neuro", email: "pn@lab.org" });
    await buildUser(ctx.prisma, { status: "PENDING", username: "pending-other", email: "po@lab.org" });
    const res = await request(ctx.app).get("/api/admin/users/?status=PENDING&page_size=1").set(auth(staff)).expect(200);
    expect(res.body.count).toBe(2);
    expect(res.body.next).toContain("page=2");
    expect(res.body.results[0]).not.toHaveProperty("passwordHash");
    expect(res.body.results[0]).not.toHaveProperty("password_hash");
    const search = await request(ctx.app).get("/api/admin/users/?search=NEURO").set(auth(staff)).expect(200);
    expect(search.body.results.map((u: { username: string }) => u.username)).toEqual(["pending-neuro"]);
    await request(ctx.app).get("/api/admin/users/?status=BOGUS").set(auth(staff)).expect(400);
  });
});

describe("GET /api/admin/users/{username}/dandisets/", () => {
  it("lists a user's dandisets, embargoed ones only to callers who may read them, for staff only", async () => {
    const owner = await buildUser(ctx.prisma, { username: "owner-of-two" });
    const make = (name: string, embargoStatus: "OPEN" | "EMBARGOED") =>
      ctx.prisma.dandiset.create({
        data: {
          embargoStatus,
          owners: { create: { userId: owner.user.id } },
          versions: { create: { version: "draft", name, metadata: { name }, status: "Pending" } },
        },
      });
    const open = await make("Open one", "OPEN");
    const secret = await make("Embargoed one", "EMBARGOED");
    const url = "/api/admin/users/owner-of-two/dandisets/";
    await request(ctx.app).get(url).expect(401);
    await request(ctx.app).get(url).set(auth(normal)).expect(403);
    await request(ctx.app).get("/api/admin/users/nobody-at-all/dandisets/").set(auth(admin)).expect(404);
    const ids = (body: { results: { identifier: string }[] }) => body.results.map((d) => Number(d.identifier));
    const asAdmin = await request(ctx.app).get(url).set(auth(admin)).expect(200);
    expect(asAdmin.body.count).toBe(2);
    expect(ids(asAdmin.body).sort()).toEqual([open.id, secret.id].sort());
    // Staff who are not superusers read through the same policy as everyone: no embargoed dandiset.
    const asStaff = await request(ctx.app).get(url).set(auth(staff)).expect(200);
    expect(ids(asStaff.body)).toEqual([open.id]);
    const paged = await request(ctx.app).get(`${url}?page_size=1`).set(auth(admin)).expect(200);
    expect(paged.body.results).toHaveLength(1);
    expect(paged.body.next).toContain("page=2");
  });
});

describe("approve and reject", () => {
  it("approves a PENDING user, e-mails them and records an audit entry", async () => {
    const { user } = await buildUser(ctx.prisma, { status: "PENDING", username: "to-approve", email: "ta@lab.org" });
    await request(ctx.app).post("/api/admin/users/to-approve/approve/").set(auth(staff)).expect(403);
    await request(ctx.app).post("/api/admin/users/to-approve/approve/").set(auth(normal)).expect(403);
    const res = await request(ctx.app).post("/api/admin/users/to-approve/approve/").set(auth(admin)).expect(200);
    expect(res.body).toMatchObject({ username: "to-approve", status: "APPROVED", is_active: true });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe("Your DANDI Account");
    expect(mail!.recipients.sort()).toEqual(["admins@dandi.test", "ta@lab.org"]);
    const audit = await request(ctx.app)
      .get("/api/admin/audit/?record_type=change_user_status")
      .set(auth(staff))
      .expect(200);
    expect(audit.body.results[0]).toMatchObject({
      dandiset_id: 0,
      username: "root",
      record_type: "change_user_status",
      admin: true,
      details: { username: "to-approve", from: "PENDING", to: "APPROVED" },
    });
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("APPROVED");
  });

  it("rejects with a required reason, deactivates the user and e-mails the reason", async () => {
    const rejected = await buildUser(ctx.prisma, { status: "PENDING", username: "to-reject", email: "tr@lab.org" });
    const missing = await request(ctx.app)
      .post("/api/admin/users/to-reject/reject/")
      .set(auth(admin))
      .send({})
      .expect(400);
    expect(missing.body).toEqual({ reason: ["This field is required."] });
    await request(ctx.app)
      .post("/api/admin/users/to-reject/reject/")
      .set(auth(admin))
      .send({ reason: "Not a neuroscience project." })
      .expect(200);
    const saved = await ctx.prisma.user.findUniqueOrThrow({ where: { id: rejected.user.id } });
    expect(saved).toMatchObject({
      status: "REJECTED",
      isActive: false,
      rejectionReason: "Not a neuroscience project.",
    });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe("Your DANDI Account");
    expect(mail!.raw).toContain("Not a neuroscience project.");
    // The rejected user's key stops working (inactive).
    await request(ctx.app).get("/api/users/me/").set(auth(rejected)).expect(401);
  });

  it("answers 404 for an unknown user", async () => {
    await request(ctx.app).post("/api/admin/users/nobody-here/approve/").set(auth(admin)).expect(404);
  });
});

describe("GET /api/admin/audit/", () => {
  it("filters by dandiset and is for staff only", async () => {
    await ctx.prisma.auditRecord.create({
      data: {
        dandisetId: 7,
        username: "u",
        userEmail: "u@x",
        userFullname: "U",
        recordType: "create_dandiset",
        details: {},
      },
    });
    await request(ctx.app).get("/api/admin/audit/").set(auth(normal)).expect(403);
    const res = await request(ctx.app).get("/api/admin/audit/?dandiset=000007").set(auth(staff)).expect(200);
    expect(res.body.count).toBe(1);
    expect(res.body.results[0]).toMatchObject({ dandiset_id: 7, record_type: "create_dandiset" });
  });
});
