import { afterAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { LocalStorage, autoUnembargoExpired, unembargoDandiset } from "@dandi/core";
import { createTestContext } from "../../../test/context";
import { seedEmbargoedDandiset } from "./embargo.fixtures";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url });
afterAll(() => smtp.close());
beforeEach(() => smtp.clear());

const owner = await buildUser(ctx.prisma, { email: "owner@lab.org" });
const other = await buildUser(ctx.prisma);
const pending = await buildUser(ctx.prisma, { status: "PENDING" });
const auth = (u: { token: string }) => ({ Authorization: `token ${u.token}` });
const storage = ctx.deps.storage as LocalStorage;

/**
 * The endpoint queues the worker's unembargoDandiset job (its handler is tested with a
 * real BullMQ worker in apps/worker); here the queued job is checked and its core
 * function run, as the worker would.
 */
async function runQueuedUnembargo(dandisetId: number) {
  const job = await ctx.deps.jobs.queue("default").getJob(`unembargo-${dandisetId}`);
  expect(job?.name).toBe("unembargoDandiset");
  // The job data carries the id of the request that queued it, besides the payload.
  expect(job?.data).toEqual({ dandisetId, requestId: expect.any(String) });
  await unembargoDandiset({
    prisma: ctx.prisma,
    storage: ctx.deps.storage,
    mailer: ctx.deps.mailer,
    logger: ctx.deps.logger,
    webAppUrl: ctx.config.DANDI_WEB_APP_URL,
    dandisetId,
    user: owner.user,
  });
  await job!.remove();
  return ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: dandisetId } });
}

describe("POST /api/dandisets/{id}/unembargo/", () => {
  it("is refused to anonymous, unapproved and non-owner users", async () => {
    const s = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    await ctx.prisma.dandisetOwner.create({ data: { dandisetId: s.dandiset.id, userId: pending.user.id } });
    await request(ctx.app).post(`/api/dandisets/${s.id}/unembargo/`).expect(401);
    await request(ctx.app).post(`/api/dandisets/${s.id}/unembargo/`).set(auth(pending)).expect(403);
    await request(ctx.app).post(`/api/dandisets/${s.id}/unembargo/`).set(auth(other)).expect(403);
    await request(ctx.app).post(`/api/dandisets/999999/unembargo/`).set(auth(owner)).expect(404);
    expect((await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: s.dandiset.id } })).embargoStatus).toBe(
      "EMBARGOED",
    );
  });

  it("answers DANDI's 400s for an open dandiset and for active uploads", async () => {
    const open = await ctx.prisma.dandiset.create({ data: { owners: { create: { userId: owner.user.id } } } });
    const res = await request(ctx.app)
      .post(`/api/dandisets/${String(open.id).padStart(6, "0")}/unembargo/`)
      .set(auth(owner))
      .expect(400);
    expect(res.body).toBe("Dandiset not embargoed");
    const s = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    await ctx.prisma.upload.create({
      data: {
        uploadId: crypto.randomUUID(),
        key: `blobs/x/${crypto.randomUUID()}`,
        etag: "e",
        size: 1n,
        multipartUploadId: crypto.randomUUID(),
        dandisetId: s.dandiset.id,
        embargoed: true,
      },
    });
    const busy = await request(ctx.app).post(`/api/dandisets/${s.id}/unembargo/`).set(auth(owner)).expect(400);
    expect(busy.body).toBe("Dandiset unembargo not allowed with active uploads");
  });

  it("opens the dandiset: storage tags, blobs, assets, draft access, audit and e-mail", async () => {
    const s = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    expect((await storage.statObject(s.blob.key))?.embargoed).toBe(true);
    await request(ctx.app).post(`/api/dandisets/${s.id}/unembargo/`).set(auth(owner)).expect(200);
    const d = await runQueuedUnembargo(s.dandiset.id);
    expect(d.embargoStatus).toBe("OPEN");
    const today = new Date().toISOString().slice(0, 10);
    expect(d.embargoEndDate?.toISOString().slice(0, 10)).toBe(today);
    expect((await storage.statObject(s.blob.key))?.embargoed).toBe(false);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: s.blob.id } })).embargoed).toBe(false);
    expect((await ctx.prisma.asset.findUniqueOrThrow({ where: { id: s.asset.id } })).status).toBe("Pending");
    const draft = await ctx.prisma.version.findUniqueOrThrow({ where: { id: s.draft.id } });
    expect(draft.status).toBe("Pending");
    expect((draft.metadata as { access: unknown }).access).toEqual([
      { schemaKey: "AccessRequirements", status: "dandi:OpenAccess" },
    ]);
    const audit = await ctx.prisma.auditRecord.findMany({ where: { dandisetId: s.dandiset.id } });
    expect(audit.map((a) => a.recordType)).toEqual(["unembargo_dandiset"]);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe("Your Dandiset has been unembargoed!");
    expect(mail!.recipients).toEqual(["owner@lab.org"]);
    // Now anyone can read it.
    await request(ctx.app).get(`/api/dandisets/${s.id}/`).expect(200);
  });

  it("blocks every mutation with DANDI's 400 while UNEMBARGOING", async () => {
    const s = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    await ctx.prisma.dandiset.update({ where: { id: s.dandiset.id }, data: { embargoStatus: "UNEMBARGOING" } });
    const base = `/api/dandisets/${s.id}`;
    const message = "Dandiset modification not allowed during unembargo";
    const calls: [string, request.Test][] = [
      [
        "owners",
        request(ctx.app)
          .put(`${base}/users/`)
          .set(auth(owner))
          .send([{ username: owner.user.username }]),
      ],
      [
        "version",
        request(ctx.app)
          .put(`${base}/versions/draft/`)
          .set(auth(owner))
          .send({ name: "x", metadata: { name: "x" } }),
      ],
      [
        "add asset",
        request(ctx.app)
          .post(`${base}/versions/draft/assets/`)
          .set(auth(owner))
          .send({ blob_id: s.blob.blobId, metadata: { path: "b.nwb" } }),
      ],
      [
        "update asset",
        request(ctx.app)
          .put(`${base}/versions/draft/assets/${s.asset.assetId}/`)
          .set(auth(owner))
          .send({ blob_id: s.blob.blobId, metadata: { path: "c.nwb" } }),
      ],
      ["remove asset", request(ctx.app).delete(`${base}/versions/draft/assets/${s.asset.assetId}/`).set(auth(owner))],
      [
        "upload",
        request(ctx.app)
          .post("/api/uploads/initialize/")
          .set(auth(owner))
          .send({
            contentSize: 10,
            digest: { algorithm: "dandi:dandi-etag", value: `${"a".repeat(32)}-1` },
            dandiset: s.id,
          }),
      ],
    ];
    for (const [name, call] of calls) {
      const res = await call;
      expect({ name, status: res.status, body: res.body }).toEqual({ name, status: 400, body: message });
    }
    const del = await request(ctx.app).delete(`${base}/`).set(auth(owner));
    expect(del.status).toBeGreaterThanOrEqual(400);
    const again = await request(ctx.app).post(`${base}/unembargo/`).set(auth(owner)).expect(400);
    expect(again.body).toBe("Dandiset not embargoed");
  });
});

describe("autoUnembargoExpired", () => {
  it("unembargoes dandisets whose embargo end date has passed, and only those", async () => {
    const expired = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    await ctx.prisma.dandiset.update({
      where: { id: expired.dandiset.id },
      data: { embargoEndDate: new Date("2020-01-01") },
    });
    const current = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    // An unembargo whose in-process run was lost (e.g. a restart) two hours ago.
    const stuck = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    await ctx.prisma
      .$executeRaw`UPDATE dandisets SET embargo_status = 'UNEMBARGOING', modified = now() - interval '2 hours' WHERE id = ${stuck.dandiset.id}`;
    const { prisma, mailer, logger, config } = ctx.deps;
    const started = await autoUnembargoExpired({
      prisma,
      unembargo: (dandisetId) =>
        unembargoDandiset({
          prisma,
          storage,
          mailer,
          logger,
          webAppUrl: config.DANDI_WEB_APP_URL,
          dandisetId,
          user: { username: "dandi", email: config.DANDI_ADMIN_EMAIL, firstName: "DANDI", lastName: "Archive" },
        }),
    });
    expect(started).toEqual([expired.dandiset.id, stuck.dandiset.id]);
    expect((await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: expired.dandiset.id } })).embargoStatus).toBe(
      "OPEN",
    );
    expect((await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: current.dandiset.id } })).embargoStatus).toBe(
      "EMBARGOED",
    );
    expect((await storage.statObject(expired.blob.key))?.embargoed).toBe(false);
    expect((await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: stuck.dandiset.id } })).embargoStatus).toBe(
      "OPEN",
    );
    expect((await storage.statObject(current.blob.key))?.embargoed).toBe(true);
  });
});
