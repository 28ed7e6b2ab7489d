import { afterAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url, DANDI_ADMIN_EMAIL: "admins@dandi.test" });
afterAll(() => smtp.close());
beforeEach(() => smtp.clear());

const ANSWERS = {
  first_name: "Ada",
  last_name: "Lovelace",
  affiliations: "Analytical Engines Lab",
  website: "https://lab.example",
  usage: "Share spike-sorted recordings.",
  heard_about: "A colleague",
};

describe("GET /api/users/questionnaire/", () => {
  it("lists DANDI's questions with their maximum lengths", async () => {
    const res = await request(ctx.app).get("/api/users/questionnaire/").expect(200);
    expect(res.body.questions.map((q: { question: string }) => q.question)).toEqual([
      "First Name",
      "Last Name",
      "Affiliation(s)",
      "Lab/project website",
      "Please describe how your research project will utilize DANDI resources.",
      "How did you hear about DANDI?",
    ]);
    expect(res.body.questions.map((q: { max_length: number }) => q.max_length)).toEqual([
      100, 100, 1000, 1000, 1000, 1000,
    ]);
    expect(res.body.answers).toBeNull();
  });
});

describe("POST /api/users/questionnaire/", () => {
  it("auto-approves an INCOMPLETE user with a .edu address and sends the approval e-mail", async () => {
    const { user, token } = await buildUser(ctx.prisma, { email: "test@test.edu", status: "INCOMPLETE" });
    const res = await request(ctx.app)
      .post("/api/users/questionnaire/")
      .set("Authorization", `token ${token}`)
      .send(ANSWERS)
      .expect(200);
    expect(res.body.status).toBe("APPROVED");
    const saved = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(saved).toMatchObject({ status: "APPROVED", firstName: "Ada", lastName: "Lovelace" });
    expect(saved.questionnaire).toMatchObject({ "Affiliation(s)": "Analytical Engines Lab", "First Name": "Ada" });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe("Your DANDI Account");
    expect(mail!.recipients.sort()).toEqual(["admins@dandi.test", "test@test.edu"]);
    expect(mail!.raw).toContain("approved");
  });

  it("makes other users PENDING and sends the registered notice and the admin review e-mail", async () => {
    const { token } = await buildUser(ctx.prisma, { email: "test@test.com", username: "ada", status: "INCOMPLETE" });
    const res = await request(ctx.app)
      .post("/api/users/questionnaire/")
      .set("Authorization", `token ${token}`)
      .send(ANSWERS)
      .expect(200);
    expect(res.body.status).toBe("PENDING");
    const mails = await smtp.waitFor(2);
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects).toEqual(["DANDI: New user registered: test@test.com", "DANDI: Review new user: ada"]);
    const review = mails.find((m) => m.subject.startsWith("DANDI: Review"))!;
    expect(review.recipients).toEqual(["admins@dandi.test"]);
    expect(review.raw).toContain("Share spike-sorted recordings.");
  });

  it("only saves answers for PENDING or APPROVED users, without e-mails", async () => {
    for (const status of ["PENDING", "APPROVED"] as const) {
      const { user, token } = await buildUser(ctx.prisma, { email: `x-${status}@test.edu`, status });
      await request(ctx.app)
        .post("/api/users/questionnaire/")
        .set("Authorization", `token ${token}`)
        .send(ANSWERS)
        .expect(200);
      expect((await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe(status);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages).toHaveLength(0);
  });

  it("validates lengths and required names, and needs authentication", async () => {
    const { token } = await buildUser(ctx.prisma, { status: "INCOMPLETE" });
    const res = await request(ctx.app)
      .post("/api/users/questionnaire/")
      .set("Authorization", `token ${token}`)
      .send({ ...ANSWERS, first_name: "", affiliations: "x".repeat(1001) })
      .expect(400);
    expect(Object.keys(res.body).sort()).toEqual(["affiliations", "first_name"]);
    await request(ctx.app).post("/api/users/questionnaire/").send(ANSWERS).expect(401);
  });

  it("prefills the saved answers for the signed-in user", async () => {
    const { token } = await buildUser(ctx.prisma, { status: "INCOMPLETE" });
    await request(ctx.app)
      .post("/api/users/questionnaire/")
      .set("Authorization", `token ${token}`)
      .send(ANSWERS)
      .expect(200);
    const res = await request(ctx.app)
      .get("/api/users/questionnaire/")
      .set("Authorization", `token ${token}`)
      .expect(200);
    expect(res.body.answers).toEqual(ANSWERS);
    expect(res.body.status).toBe("PENDING");
  });
});

describe("/api/users/questionnaire-form/ (HTML)", () => {
  it("renders the form with the saved answers escaped, and needs a signed-in user", async () => {
    await request(ctx.app).get("/api/users/questionnaire-form/").expect(401);
    const { token } = await buildUser(ctx.prisma, { status: "INCOMPLETE", firstName: '<script>alert("x")</script>' });
    const res = await request(ctx.app)
      .get("/api/users/questionnaire-form/?next=/dandiset")
      .set("Authorization", `token ${token}`)
      .expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.text).toContain("Affiliation(s)");
    expect(res.text).toContain("&lt;script&gt;");
    expect(res.text).not.toContain("<script>alert");
  });

  it("accepts DANDI's form fields keyed by question text and redirects to `next`", async () => {
    const { user, token } = await buildUser(ctx.prisma, { email: "form@uni.edu", status: "INCOMPLETE" });
    const res = await request(ctx.app)
      .post("/api/users/questionnaire-form/?next=/dandiset/000001")
      .set("Authorization", `token ${token}`)
      .type("form")
      .send({ "First Name": "Grace", "Last Name": "Hopper", "Affiliation(s)": "Navy" })
      .expect(302);
    expect(res.headers.location).toBe("http://web.test/dandiset/000001");
    const saved = await ctx.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(saved).toMatchObject({ status: "APPROVED", firstName: "Grace", lastName: "Hopper" });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe("Your DANDI Account");
  });

  it("shows the form again with errors for invalid answers", async () => {
    const { token } = await buildUser(ctx.prisma, { status: "INCOMPLETE" });
    const res = await request(ctx.app)
      .post("/api/users/questionnaire-form/")
      .set("Authorization", `token ${token}`)
      .type("form")
      .send({ first_name: "", last_name: "L" })
      .expect(400);
    expect(res.text).toContain("This field may not be blank.");
  });
});
