import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { createMailer, notifyOwnershipChange, sendPendingUsersDigest } from "@dandi/core";
import { pino } from "pino";
import { createTestContext } from "../../../test/context";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url, DANDI_ADMIN_EMAIL: "admins@dandi.test" });
afterAll(() => smtp.close());
beforeEach(() => smtp.clear());
const webAppUrl = ctx.config.DANDI_WEB_APP_URL;

describe("sendPendingUsersDigest", () => {
  it("sends nothing when nobody is pending, else one e-mail listing them", async () => {
    expect(await sendPendingUsersDigest({ db: ctx.prisma, mailer: ctx.deps.mailer, webAppUrl })).toBe(0);
    await buildUser(ctx.prisma, { status: "PENDING", username: "waiting-1", email: "w1@lab.org" });
    await buildUser(ctx.prisma, { status: "PENDING", username: "waiting-2", email: "w2@lab.org" });
    await buildUser(ctx.prisma, { status: "APPROVED", username: "fine", email: "fine@lab.org" });
    expect(await sendPendingUsersDigest({ db: ctx.prisma, mailer: ctx.deps.mailer, webAppUrl })).toBe(2);
    const [mail] = await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    expect(mail!.subject).toBe("DANDI: new user registrations to review");
    expect(mail!.recipients).toEqual(["admins@dandi.test"]);
    expect(mail!.raw).toContain("waiting-1 <w1@lab.org>");
    expect(mail!.raw).toContain("waiting-2");
    expect(mail!.raw).not.toContain("fine@lab.org");
  });
});

describe("notifyOwnershipChange", () => {
  it("tells each added and removed owner", async () => {
    const added = (await buildUser(ctx.prisma, { email: "new@lab.org" })).user;
    const removed = (await buildUser(ctx.prisma, { email: "old@lab.org" })).user;
    await notifyOwnershipChange({
      mailer: ctx.deps.mailer,
      webAppUrl,
      dandiset: { identifier: "000042", name: "Mouse V1" },
      added: [added],
      removed: [removed],
    });
    const mails = await smtp.waitFor(2);
    const bySubject = Object.fromEntries(mails.map((m) => [m.subject, m.recipients]));
    expect(bySubject).toEqual({
      'Added to Dandiset "Mouse V1"': ["new@lab.org"],
      'Removed from Dandiset "Mouse V1"': ["old@lab.org"],
    });
    expect(mails.find((m) => m.subject.startsWith("Added"))!.raw).toContain("http://web.test/dandiset/000042");
  });
});

describe("the mailer", () => {
  it("never throws when the SMTP server is unreachable", async () => {
    const mailer = createMailer({
      config: { SMTP_URL: "smtp://127.0.0.1:9", DEFAULT_FROM_EMAIL: "x@y.z", DANDI_ADMIN_EMAIL: "a@b.c" },
      logger: pino({ level: "silent" }),
    });
    await expect(mailer.send({ to: ["a@b.c"], subject: "s", text: "t" })).resolves.toBeUndefined();
    mailer.close();
  });
});
