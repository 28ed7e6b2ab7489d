import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import request from "supertest";
import { blobKey, hashPassword } from "@dandi/core";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url, DANDI_ADMIN_EMAIL: "admins@dandi.test" });
const { prisma, storage } = ctx.deps;
afterAll(() => smtp.close());
beforeEach(() => smtp.clear());

const key = (token: string) => ({ Authorization: `token ${token}` });
const sessionCookie = (res: request.Response) => String(res.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;

/** An EMBARGOED dandiset owned by a new user, with one asset on an embargoed blob. */
async function seedEmbargoed() {
  const owner = await buildUser(prisma);
  const name = `Secret ${randomUUID().slice(0, 8)}`;
  const dandiset = await prisma.dandiset.create({
    data: {
      embargoStatus: "EMBARGOED",
      embargoEndDate: new Date("2030-01-01"),
      owners: { create: { userId: owner.user.id } },
      versions: { create: { version: "draft", name, status: "Valid", metadata: { schemaVersion: "0.7.0", name } } },
    },
  });
  const id = String(dandiset.id).padStart(6, "0");
  const uuid = randomUUID();
  const bytes = randomBytes(64);
  await storage.putObject(blobKey(uuid), bytes, { embargoed: true });
  const blob = await prisma.assetBlob.create({
    data: {
      blobId: uuid,
      key: blobKey(uuid),
      etag: `${randomBytes(16).toString("hex")}-1`,
      size: BigInt(bytes.length),
      embargoed: true,
    },
  });
  const asset = await request(ctx.app)
    .post(`/api/dandisets/${id}/versions/draft/assets/`)
    .set(key(owner.token))
    .send({ blob_id: uuid, metadata: { path: "sub-1/data.nwb" } })
    .expect(200);
  return { owner, dandiset, id, name, bytes, blob, assetId: asset.body.asset_id as string };
}

async function auditTypes(dandisetId: number) {
  const rows = await prisma.auditRecord.findMany({ where: { dandisetId }, orderBy: { id: "asc" } });
  return rows.map((r) => r.recordType);
}

/** Every write a viewer might try on the dandiset: all must be refused. */
async function expectWritesRefused(w: Awaited<ReturnType<typeof seedEmbargoed>>, headers: Record<string, string>) {
  const base = `/api/dandisets/${w.id}`;
  const attempts = [
    request(ctx.app)
      .put(`${base}/versions/draft/`)
      .send({ name: "Edited", metadata: { name: "Edited" } }),
    request(ctx.app)
      .post(`${base}/versions/draft/assets/`)
      .send({ blob_id: w.blob.blobId, metadata: { path: "other.nwb" } }),
    request(ctx.app).delete(`${base}/versions/draft/assets/${w.assetId}/`),
    request(ctx.app).post(`${base}/versions/draft/publish/`),
    request(ctx.app)
      .put(`${base}/users/`)
      .send([{ username: "someone" }]),
    request(ctx.app).post(`${base}/unembargo/`),
    request(ctx.app).delete(`${base}/`),
    request(ctx.app).post("/api/zarr/").send({ name: "x.zarr", dandiset: w.id }),
    request(ctx.app)
      .post("/api/uploads/initialize/")
      .send({
        contentSize: 10,
        digest: { algorithm: "dandi:dandi-etag", value: `${"a".repeat(32)}-1` },
        dandiset: w.id,
      }),
    request(ctx.app).post(`${base}/viewers/`).send({ username: "someone" }),
    request(ctx.app).post(`${base}/review-links/`).send({ expires_in_days: 3 }),
    request(ctx.app).get(`${base}/viewers/`),
    request(ctx.app).get(`${base}/review-links/`),
    request(ctx.app).get(`${base}/access-requests/`),
  ];
  const refused = [];
  for (const attempt of attempts) {
    const res = await attempt.set(headers);
    // 401 for a review-link holder (no user), 403 for a viewer (404 from the upload, which hides the dandiset).
    if (![401, 403, 404].includes(res.status))
      refused.push(`${attempt.method} ${attempt.url}: ${res.status} ${res.text}`);
  }
  expect(refused).toEqual([]);
  // Nothing changed.
  const draft = await prisma.version.findFirstOrThrow({ where: { dandisetId: w.dandiset.id, version: "draft" } });
  expect(draft.name).toBe(w.name);
  expect(await prisma.versionAsset.count({ where: { versionId: draft.id } })).toBe(1);
  expect(await prisma.dandiset.findUnique({ where: { id: w.dandiset.id } })).toMatchObject({
    embargoStatus: "EMBARGOED",
  });
}

describe("viewers", () => {
  it("lets a viewer read everything (metadata, assets, the download) and write nothing, until revoked", async () => {
    const w = await seedEmbargoed();
    const viewer = await buildUser(prisma, { username: `viewer-${randomUUID().slice(0, 8)}` });
    const base = `/api/dandisets/${w.id}`;
    await request(ctx.app).get(`${base}/`).set(key(viewer.token)).expect(403);

    const added = await request(ctx.app)
      .post(`${base}/viewers/`)
      .set(key(w.owner.token))
      .send({ username: viewer.user.username })
      .expect(201);
    expect(added.body).toMatchObject({ kind: "viewer", viewer: { username: viewer.user.username }, invitation: null });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.recipients).toEqual([viewer.user.email]);
    expect(mail!.subject).toBe(`DANDI: You can now view Dandiset ${w.id}`);
    // Again: nothing new.
    await request(ctx.app)
      .post(`${base}/viewers/`)
      .set(key(w.owner.token))
      .send({ username: viewer.user.username })
      .expect(200);

    const detail = await request(ctx.app).get(`${base}/`).set(key(viewer.token)).expect(200);
    expect(detail.body.draft_version.name).toBe(w.name);
    const assets = await request(ctx.app).get(`${base}/versions/draft/assets/`).set(key(viewer.token)).expect(200);
    expect(assets.body.results.map((a: { path: string }) => a.path)).toEqual(["sub-1/data.nwb"]);
    const download = await request(ctx.app)
      .get(`${base}/versions/draft/assets/${w.assetId}/download/`)
      .set(key(viewer.token))
      .expect(302);
    const signed = new URL(download.headers.location!);
    const bytes = await request(ctx.app).get(`${signed.pathname}${signed.search}`).buffer(true).expect(200);
    expect(Buffer.compare(bytes.body as Buffer, w.bytes)).toBe(0);
    // The embargoed list names it for the viewer.
    const list = await request(ctx.app).get("/api/dandisets/?embargoed=true").set(key(viewer.token)).expect(200);
    expect(list.body.results.map((d: { identifier: string }) => d.identifier)).toContain(w.id);
    const access = await request(ctx.app).get(`${base}/access/`).set(key(viewer.token)).expect(200);
    expect(access.body).toMatchObject({ can_read: true, role: "viewer", can_manage: false, can_request: false });

    await expectWritesRefused(w, key(viewer.token));

    const viewers = await request(ctx.app).get(`${base}/viewers/`).set(key(w.owner.token)).expect(200);
    expect(viewers.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(viewers.body.results[0]).toMatchObject({
      username: viewer.user.username,
      granted_by: w.owner.user.username,
    });

    await request(ctx.app).delete(`${base}/viewers/${viewer.user.username}/`).set(key(w.owner.token)).expect(204);
    await request(ctx.app).get(`${base}/`).set(key(viewer.token)).expect(403);
    await request(ctx.app)
      .get(`${base}/versions/draft/assets/${w.assetId}/download/`)
      .set(key(viewer.token))
      .expect(403);
    await request(ctx.app).delete(`${base}/viewers/${viewer.user.username}/`).set(key(w.owner.token)).expect(404);
    expect(await auditTypes(w.dandiset.id)).toEqual(["add_asset", "add_viewer", "remove_viewer"]);
  }, 120_000);

  it("refuses bad bodies with DRF's errors and owners as viewers", async () => {
    const w = await seedEmbargoed();
    const base = `/api/dandisets/${w.id}/viewers/`;
    const owner = key(w.owner.token);
    const none = await request(ctx.app).post(base).set(owner).send({}).expect(400);
    expect(none.body).toEqual({ non_field_errors: ["Give exactly one of username and email."] });
    await request(ctx.app).post(base).set(owner).send({ username: "a", email: "b@c.org" }).expect(400);
    const unknown = await request(ctx.app).post(base).set(owner).send({ username: "nobody-here" }).expect(400);
    expect(unknown.body).toEqual({ username: ["User nobody-here not found."] });
    const bad = await request(ctx.app).post(base).set(owner).send({ email: "not-an-address" }).expect(400);
    expect(bad.body).toEqual({ email: ["Enter a valid email address."] });
    const self = await request(ctx.app).post(base).set(owner).send({ username: w.owner.user.username }).expect(400);
    expect(self.body).toEqual({ username: ["This user owns the dandiset already."] });
    expect(await prisma.dandisetViewer.count({ where: { dandisetId: w.dandiset.id } })).toBe(0);
  });

  it("e-mails an invitation to an address without an account, granted when that person signs in", async () => {
    const w = await seedEmbargoed();
    const email = `reviewer-${randomUUID().slice(0, 8)}@journal.example`;
    const invited = await request(ctx.app)
      .post(`/api/dandisets/${w.id}/viewers/`)
      .set(key(w.owner.token))
      .send({ email: email.toUpperCase() })
      .expect(201);
    expect(invited.body).toMatchObject({ kind: "invitation", viewer: null, invitation: { email } });
    const [mail] = await smtp.waitFor(1);
    expect(mail!.recipients).toEqual([email]);
    expect(mail!.raw).toContain(`Dandiset ${w.id}`);
    // The invitation e-mail does not name the embargoed dandiset.
    expect(mail!.raw).not.toContain(w.name);
    const list = await request(ctx.app).get(`/api/dandisets/${w.id}/viewer-invitations/`).set(key(w.owner.token));
    expect(list.body).toMatchObject({ count: 1, results: [{ email }] });

    // The person signs up (here: an account made by an admin) and signs in with that address.
    await prisma.user.create({
      data: {
        email,
        username: `journal-${randomUUID().slice(0, 8)}`,
        status: "APPROVED",
        passwordHash: await hashPassword("a long enough password"),
      },
    });
    const login = await request(ctx.app)
      .post("/api/auth/login/")
      .set("X-CSRF-Token", "1")
      .send({ email, password: "a long enough password" })
      .expect(200);
    const cookie = sessionCookie(login);
    const detail = await request(ctx.app).get(`/api/dandisets/${w.id}/`).set("Cookie", cookie).expect(200);
    expect(detail.body.draft_version.name).toBe(w.name);
    expect(await prisma.viewerInvitation.count({ where: { dandisetId: w.dandiset.id } })).toBe(0);
    expect(await auditTypes(w.dandiset.id)).toEqual(["add_asset", "invite_viewer", "add_viewer"]);
    // No e-mail address in the audit log's details.
    const records = await prisma.auditRecord.findMany({ where: { dandisetId: w.dandiset.id } });
    expect(JSON.stringify(records.map((r) => r.details))).not.toContain(email);
  });

  it("withdraws an invitation", async () => {
    const w = await seedEmbargoed();
    const invited = await request(ctx.app)
      .post(`/api/dandisets/${w.id}/viewers/`)
      .set(key(w.owner.token))
      .send({ email: "later@journal.example" })
      .expect(201);
    const id = invited.body.invitation.id as number;
    await request(ctx.app)
      .delete(`/api/dandisets/${w.id}/viewer-invitations/${id}/`)
      .set(key(w.owner.token))
      .expect(204);
    await request(ctx.app)
      .delete(`/api/dandisets/${w.id}/viewer-invitations/${id}/`)
      .set(key(w.owner.token))
      .expect(404);
    expect(await auditTypes(w.dandiset.id)).toEqual(["add_asset", "invite_viewer", "cancel_viewer_invitation"]);
  });
});

describe("review links", () => {
  it("gives a browser read-only access to that one dandiset until revoked; the token is stored hashed", async () => {
    const w = await seedEmbargoed();
    const other = await seedEmbargoed();
    const base = `/api/dandisets/${w.id}`;
    const created = await request(ctx.app)
      .post(`${base}/review-links/`)
      .set(key(w.owner.token))
      .send({ expires_in_days: 30, label: "Journal of Neuro, round 1" })
      .expect(201);
    const url = created.body.url as string;
    const token = url.match(/\/api\/review\/([A-Za-z0-9_-]{43})\/$/)![1]!;
    expect(created.body).toMatchObject({ label: "Journal of Neuro, round 1", active: true, revoked: null });
    const row = await prisma.reviewLink.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = await request(ctx.app).get(`${base}/review-links/`).set(key(w.owner.token)).expect(200);
    expect(listed.text).not.toContain(token);
    expect(listed.body.results).toHaveLength(1);

    const opened = await request(ctx.app).get(new URL(url).pathname).expect(302);
    expect(opened.headers.location).toBe(`http://web.test/dandiset/${w.id}`);
    const cookie = sessionCookie(opened);
    const detail = await request(ctx.app).get(`${base}/`).set("Cookie", cookie).expect(200);
    expect(detail.body.draft_version.name).toBe(w.name);
    await request(ctx.app).get(`${base}/versions/draft/assets/`).set("Cookie", cookie).expect(200);
    await request(ctx.app)
      .get(`${base}/versions/draft/assets/${w.assetId}/download/`)
      .set("Cookie", cookie)
      .expect(302);
    const access = await request(ctx.app).get(`${base}/access/`).set("Cookie", cookie).expect(200);
    expect(access.body).toMatchObject({ can_read: true, role: "reviewer", can_manage: false, can_request: false });
    // Only that dandiset.
    await request(ctx.app).get(`/api/dandisets/${other.id}/`).set("Cookie", cookie).expect(401);
    await expectWritesRefused(w, { Cookie: cookie });

    await request(ctx.app).delete(`${base}/review-links/${created.body.id}/`).set(key(w.owner.token)).expect(204);
    await request(ctx.app).get(`${base}/`).set("Cookie", cookie).expect(401);
    const again = await request(ctx.app).get(new URL(url).pathname).expect(404);
    expect(again.body).toEqual({ detail: "This review link is not valid: it may have expired or been revoked." });
    expect(await auditTypes(w.dandiset.id)).toEqual(["add_asset", "create_review_link", "revoke_review_link"]);
    const records = await prisma.auditRecord.findMany({ where: { dandisetId: w.dandiset.id } });
    expect(JSON.stringify(records.map((r) => r.details))).not.toContain(token);
  });

  it("ends at its expiry, and refuses bad expiries and unknown tokens", async () => {
    const w = await seedEmbargoed();
    const base = `/api/dandisets/${w.id}`;
    for (const bad of [0, 366, 1.5, "7"]) {
      await request(ctx.app)
        .post(`${base}/review-links/`)
        .set(key(w.owner.token))
        .send({ expires_in_days: bad })
        .expect(400);
    }
    const created = await request(ctx.app)
      .post(`${base}/review-links/`)
      .set(key(w.owner.token))
      .send({ expires_in_days: 1 })
      .expect(201);
    const opened = await request(ctx.app)
      .get(new URL(created.body.url as string).pathname)
      .expect(302);
    const cookie = sessionCookie(opened);
    await request(ctx.app).get(`${base}/`).set("Cookie", cookie).expect(200);
    await prisma.reviewLink.update({ where: { id: created.body.id }, data: { expires: new Date(Date.now() - 1) } });
    await request(ctx.app).get(`${base}/`).set("Cookie", cookie).expect(401);
    const listed = await request(ctx.app).get(`${base}/review-links/`).set(key(w.owner.token)).expect(200);
    expect(listed.body.results[0]).toMatchObject({ active: false, revoked: null });
    await request(ctx.app)
      .get(new URL(created.body.url as string).pathname)
      .expect(404);
    await request(ctx.app)
      .get(`/api/review/${"x".repeat(43)}/`)
      .expect(404);
    await request(ctx.app).get(`/api/review/short/`).expect(404);
  });
});

describe("access requests", () => {
  it("asks the owners by e-mail, one pending request at a time; approval makes a viewer and tells the requester", async () => {
    const w = await seedEmbargoed();
    const base = `/api/dandisets/${w.id}`;
    const requester = await buildUser(prisma, { username: `asker-${randomUUID().slice(0, 8)}` });
    await request(ctx.app).post(`${base}/access-requests/`).send({ message: "hi" }).expect(401);
    const before = await request(ctx.app).get(`${base}/access/`).set(key(requester.token)).expect(200);
    expect(before.body).toEqual({
      identifier: w.id,
      embargoed: true,
      can_read: false,
      role: null,
      can_manage: false,
      can_request: true,
      request: null,
    });
    const long = await request(ctx.app)
      .post(`${base}/access-requests/`)
      .set(key(requester.token))
      .send({ message: "x".repeat(2001) })
      .expect(400);
    expect(long.body).toEqual({ message: ["Ensure this field has no more than 2000 characters."] });

    const made = await request(ctx.app)
      .post(`${base}/access-requests/`)
      .set(key(requester.token))
      .send({ message: "I review this for a journal." })
      .expect(201);
    expect(made.body).toMatchObject({ status: "PENDING", username: requester.user.username, decided: null });
    const [toOwners] = await smtp.waitFor(1);
    expect(toOwners!.recipients).toEqual([w.owner.user.email]);
    expect(toOwners!.raw).toContain("I review this for a journal.");
    const dup = await request(ctx.app)
      .post(`${base}/access-requests/`)
      .set(key(requester.token))
      .send({ message: "again" })
      .expect(409);
    expect(dup.body).toEqual({ detail: "You have already asked for access to this dandiset." });
    const pending = await request(ctx.app).get(`${base}/access/`).set(key(requester.token)).expect(200);
    expect(pending.body).toMatchObject({ can_request: false, request: { status: "PENDING" } });

    const list = await request(ctx.app)
      .get(`${base}/access-requests/?status=PENDING`)
      .set(key(w.owner.token))
      .expect(200);
    expect(list.body).toMatchObject({
      count: 1,
      results: [{ id: made.body.id, message: "I review this for a journal." }],
    });
    await request(ctx.app).get(`${base}/access-requests/?status=nope`).set(key(w.owner.token)).expect(400);
    // The requester may not decide.
    await request(ctx.app)
      .post(`${base}/access-requests/${made.body.id}/approve/`)
      .set(key(requester.token))
      .expect(403);

    smtp.clear();
    const approved = await request(ctx.app)
      .post(`${base}/access-requests/${made.body.id}/approve/`)
      .set(key(w.owner.token))
      .expect(200);
    expect(approved.body).toMatchObject({ status: "APPROVED" });
    const [toRequester] = await smtp.waitFor(1);
    expect(toRequester!.recipients).toEqual([requester.user.email]);
    expect(toRequester!.subject).toBe(`DANDI: Your request for Dandiset ${w.id} was approved`);
    await request(ctx.app).get(`${base}/`).set(key(requester.token)).expect(200);
    await request(ctx.app).post(`${base}/access-requests/${made.body.id}/decline/`).set(key(w.owner.token)).expect(409);
    // A viewer cannot ask again.
    await request(ctx.app).post(`${base}/access-requests/`).set(key(requester.token)).send({}).expect(400);
    expect(await auditTypes(w.dandiset.id)).toEqual([
      "add_asset",
      "request_access",
      "add_viewer",
      "approve_access_request",
    ]);
  });

  it("declines, and the requester may ask again later", async () => {
    const w = await seedEmbargoed();
    const base = `/api/dandisets/${w.id}`;
    const requester = await buildUser(prisma);
    const made = await request(ctx.app).post(`${base}/access-requests/`).set(key(requester.token)).send({}).expect(201);
    await smtp.waitFor(1);
    smtp.clear();
    await request(ctx.app).post(`${base}/access-requests/${made.body.id}/decline/`).set(key(w.owner.token)).expect(200);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe(`DANDI: Your request for Dandiset ${w.id} was declined`);
    expect(mail!.raw).not.toContain(w.name);
    await request(ctx.app).get(`${base}/`).set(key(requester.token)).expect(403);
    await request(ctx.app).post(`${base}/access-requests/`).set(key(requester.token)).send({}).expect(201);
    await request(ctx.app).post(`${base}/access-requests/999999/approve/`).set(key(w.owner.token)).expect(404);
  });
});
