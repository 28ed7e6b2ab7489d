import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser, startSmtpCapture } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const smtp = await startSmtpCapture();
const ctx = await createTestContext({ SMTP_URL: smtp.url });
afterAll(() => smtp.close());
const auth = (token: string) => ({ Authorization: `token ${token}` });

function create(token: string, body: object = { name: "Test Dandiset", metadata: { foo: "bar" } }, query = "") {
  return request(ctx.app).post(`/api/dandisets/${query}`).set(auth(token)).send(body);
}

describe("POST /api/dandisets/", () => {
  it("creates an OPEN dandiset with DANDI's computed metadata and an audit record", async () => {
    const { token, user } = await buildUser(ctx.prisma, { firstName: "John", lastName: "Doe" });
    const res = await create(token).expect(200);
    expect(res.body.identifier).toMatch(/^\d{6}$/);
    expect(res.body).toMatchObject({
      contact_person: "Doe, John",
      embargo_status: "OPEN",
      star_count: 0,
      is_starred: false,
      most_recent_published_version: null,
      draft_version: {
        version: "draft",
        name: "Test Dandiset",
        asset_count: 0,
        active_uploads: 0,
        size: 0,
        status: "Pending",
        release_notes: "",
      },
    });
    const id = res.body.identifier as string;
    const md = (await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200)).body;
    const year = new Date().getUTCFullYear();
    expect(md).toMatchObject({
      foo: "bar",
      schemaKey: "Dandiset",
      schemaVersion: ctx.deps.schemas.schemaVersion,
      name: "Test Dandiset",
      identifier: `DANDI:${id}`,
      id: `DANDI:${id}/draft`,
      version: "draft",
      url: `http://web.test/dandiset/${id}/draft`,
      repository: "http://web.test",
      manifestLocation: [`http://api.test/api/dandisets/${id}/versions/draft/assets/`],
      "@context": `https://raw.githubusercontent.com/dandi/schema/master/releases/${ctx.deps.schemas.schemaVersion}/context.json`,
      access: [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }],
      assetsSummary: { schemaKey: "AssetsSummary", numberOfBytes: 0, numberOfFiles: 0 },
      contributor: [
        {
          name: "Doe, John",
          email: user.email,
          roleName: ["dcite:ContactPerson"],
          schemaKey: "Person",
          affiliation: [],
          includeInCitation: true,
        },
      ],
      citation: `Doe, John (${year}) Test Dandiset (Version draft) [Data set]. DANDI Archive. http://web.test/dandiset/${id}/draft`,
    });
    const owners = await ctx.prisma.dandisetOwner.findMany({ where: { dandisetId: Number(id) } });
    expect(owners.map((o) => o.userId)).toEqual([user.id]);
    const audit = await ctx.prisma.auditRecord.findMany({ where: { dandisetId: Number(id) } });
    expect(audit.map((a) => a.recordType)).toEqual(["create_dandiset"]);
  });

  it("lets only admins choose the identifier, and never collides later", async () => {
    const admin = await buildUser(ctx.prisma, { isSuperuser: true });
    const normal = await buildUser(ctx.prisma);
    const res = await create(admin.token, { name: "X", metadata: { identifier: "DANDI:123456" } }).expect(200);
    expect(res.body.identifier).toBe("123456");
    expect((await create(admin.token, { name: "X", metadata: { identifier: "123456" } }).expect(400)).body).toBe(
      "Dandiset 123456 already exists",
    );
    expect((await create(admin.token, { name: "X", metadata: { identifier: "DANDI:abc" } }).expect(400)).body).toBe(
      "Invalid Identifier abc",
    );
    await create(normal.token, { name: "X", metadata: { identifier: "DANDI:654321" } }).expect(400);
    // The sequence must skip an id an admin took.
    const [seq] = await ctx.prisma.$queryRaw<{ next: bigint }[]>`SELECT last_value + 1 AS next FROM dandisets_id_seq`;
    const next = seq!.next;
    await create(admin.token, { name: "X", metadata: { identifier: String(next) } }).expect(200);
    const after = await create(normal.token).expect(200);
    expect(Number(after.body.identifier)).toBeGreaterThan(Number(next));
  });

  it("creates embargoed dandisets with access and funder metadata", async () => {
    const { token } = await buildUser(ctx.prisma);
    const res = await create(token, { name: "E", metadata: {} }, "?embargo=true").expect(200);
    expect(res.body.embargo_status).toBe("EMBARGOED");
    const md = (
      await request(ctx.app).get(`/api/dandisets/${res.body.identifier}/versions/draft/`).set(auth(token)).expect(200)
    ).body;
    const until = new Date(Date.now() + 730 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    expect(md.access).toEqual([
      { schemaKey: "AccessRequirements", status: "dandi:EmbargoedAccess", embargoedUntil: until },
    ]);

    const funded = await create(
      token,
      { name: "F", metadata: {} },
      "?embargo=true&funding_source=NIH&award_number=R01",
    ).expect(200);
    const fmd = (
      await request(ctx.app).get(`/api/dandisets/${funded.body.identifier}/versions/draft/`).set(auth(token))
    ).body;
    expect(fmd.contributor).toContainEqual({
      name: "NIH",
      schemaKey: "Organization",
      roleName: ["dcite:Funder"],
      awardNumber: "R01",
      includeInCitation: false,
    });

    expect(
      (await create(token, { name: "F", metadata: {} }, "?embargo=true&funding_source=NIH").expect(400)).body,
    ).toEqual({
      non_field_errors: ["Award number is required when funding source is set"],
    });
    expect(
      (await create(token, { name: "F", metadata: {} }, "?embargo=true&embargo_end_date=2099-01-01").expect(400)).body,
    ).toEqual({
      non_field_errors: ["Invalid embargo end date"],
    });
  });

  it("refuses unapproved users and anonymous callers", async () => {
    for (const status of ["PENDING", "INCOMPLETE", "REJECTED"] as const) {
      const { token } = await buildUser(ctx.prisma, { status });
      expect((await create(token).expect(403)).body).toEqual({
        detail: "You do not have permission to perform this action.",
      });
    }
    await request(ctx.app).post("/api/dandisets/").send({ name: "x", metadata: {} }).expect(401);
  });
});

describe("GET /api/dandisets/{id}/ and DELETE", () => {
  it("applies the embargo gate", async () => {
    const owner = await buildUser(ctx.prisma);
    const other = await buildUser(ctx.prisma);
    const admin = await buildUser(ctx.prisma, { isSuperuser: true });
    const id = (await create(owner.token, { name: "E", metadata: {} }, "?embargo=true")).body.identifier;
    await request(ctx.app).get(`/api/dandisets/${id}/`).expect(401);
    await request(ctx.app).get(`/api/dandisets/${id}/`).set(auth(other.token)).expect(403);
    await request(ctx.app).get(`/api/dandisets/${id}/`).set(auth(owner.token)).expect(200);
    await request(ctx.app).get(`/api/dandisets/${id}/`).set(auth(admin.token)).expect(200);
    expect((await request(ctx.app).get("/api/dandisets/999998/").expect(404)).body).toEqual({ detail: "Not found." });
  });

  it("deletes only unpublished dandisets of one's own", async () => {
    const owner = await buildUser(ctx.prisma);
    const other = await buildUser(ctx.prisma);
    const admin = await buildUser(ctx.prisma, { isSuperuser: true });
    const id = (await create(owner.token)).body.identifier;
    expect((await request(ctx.app).delete(`/api/dandisets/${id}/`).set(auth(other.token)).expect(403)).body).toBe(
      "Cannot delete dandisets which you do not own.",
    );
    await ctx.prisma.version.create({
      data: {
        dandisetId: Number(id),
        version: "0.240101.1200",
        name: "p",
        metadata: { schemaVersion: "0.7.0" },
        status: "Valid",
      },
    });
    for (const token of [owner.token, admin.token]) {
      expect((await request(ctx.app).delete(`/api/dandisets/${id}/`).set(auth(token)).expect(403)).body).toBe(
        "Cannot delete dandisets with published versions.",
      );
    }
    const id2 = (await create(owner.token)).body.identifier;
    await ctx.prisma.dandiset.update({
      where: { id: Number(id2) },
      data: { embargoStatus: "UNEMBARGOING", embargoEndDate: new Date() },
    });
    await request(ctx.app).delete(`/api/dandisets/${id2}/`).set(auth(owner.token)).expect(400);
    const id3 = (await create(owner.token)).body.identifier;
    await request(ctx.app).delete(`/api/dandisets/${id3}/`).set(auth(owner.token)).expect(204);
    expect(await ctx.prisma.dandiset.findUnique({ where: { id: Number(id3) } })).toBeNull();
    const audit = await ctx.prisma.auditRecord.findMany({ where: { dandisetId: Number(id3) }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.recordType)).toEqual(["create_dandiset", "delete_dandiset"]);
  });
});

describe("owners", () => {
  it("lists owners, hiding e-mails from anonymous callers", async () => {
    const owner = await buildUser(ctx.prisma, { githubLogin: "octo", githubName: "Octo Cat" });
    const id = (await create(owner.token)).body.identifier;
    expect((await request(ctx.app).get(`/api/dandisets/${id}/users/`).expect(200)).body).toEqual([
      { username: "octo", name: "Octo Cat", email: null },
    ]);
    expect((await request(ctx.app).get(`/api/dandisets/${id}/users/`).set(auth(owner.token))).body[0].email).toBe(
      owner.user.email,
    );
  });

  it("replaces owners with DANDI's validation messages", async () => {
    const owner = await buildUser(ctx.prisma);
    const other = await buildUser(ctx.prisma, { githubLogin: "friend" });
    const id = (await create(owner.token)).body.identifier;
    const put = (token: string, body: unknown) =>
      request(ctx.app)
        .put(`/api/dandisets/${id}/users/`)
        .set(auth(token))
        .send(body as object);
    expect((await put(owner.token, []).expect(400)).body).toEqual(["Cannot remove all draft owners"]);
    expect((await put(owner.token, [{ username: "nobody-here" }]).expect(400)).body).toEqual([
      "User nobody-here not found",
    ]);
    expect((await put(owner.token, [{ email: "x@y.z" }]).expect(400)).body).toEqual([
      { username: ["This field is required."] },
    ]);
    expect((await put(other.token, [{ username: "friend" }]).expect(403)).body).toBe("Action not allowed");
    smtp.clear();
    const res = await put(owner.token, [{ username: "friend" }, { username: owner.user.username }]).expect(200);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.subject).toBe('Added to Dandiset "Test Dandiset"');
    expect(mail!.recipients).toContain(other.user.email);
    expect(res.body.map((o: { username: string }) => o.username).sort()).toEqual(
      ["friend", owner.user.username].sort(),
    );
    await put(other.token, [{ username: "friend" }]).expect(200);
    const owners = await ctx.prisma.dandisetOwner.findMany({ where: { dandisetId: Number(id) } });
    expect(owners.map((o) => o.userId)).toEqual([other.user.id]);
    const audit = await ctx.prisma.auditRecord.findMany({
      where: { dandisetId: Number(id), recordType: "change_owners" },
    });
    expect(audit).toHaveLength(2);
  });
});

describe("stars and uploads", () => {
  it("stars idempotently and requires authentication", async () => {
    const owner = await buildUser(ctx.prisma);
    const fan = await buildUser(ctx.prisma);
    const id = (await create(owner.token)).body.identifier;
    await request(ctx.app).post(`/api/dandisets/${id}/star/`).expect(401);
    expect((await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth(fan.token)).expect(200)).body).toEqual({
      count: 1,
    });
    expect((await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth(fan.token)).expect(200)).body).toEqual({
      count: 1,
    });
    expect((await request(ctx.app).post(`/api/dandisets/${id}/star/`).set(auth(owner.token)).expect(200)).body).toEqual(
      { count: 2 },
    );
    const detail = (await request(ctx.app).get(`/api/dandisets/${id}/`).set(auth(fan.token))).body;
    expect(detail).toMatchObject({ star_count: 2, is_starred: true });
    expect((await request(ctx.app).delete(`/api/dandisets/${id}/star/`).set(auth(fan.token)).expect(200)).body).toEqual(
      { count: 1 },
    );
  });

  it("shows uploads to owners only", async () => {
    const owner = await buildUser(ctx.prisma);
    const other = await buildUser(ctx.prisma);
    const id = (await create(owner.token)).body.identifier;
    const uploadId = "0d6e5bc8-1f4b-4c5a-9d7e-2a4b6c8d0e1f";
    await ctx.prisma.upload.create({
      data: {
        uploadId,
        key: `blobs/0d6/e5b/${uploadId}`,
        etag: `${"f".repeat(32)}-1`,
        size: 123n,
        multipartUploadId: "mp-1",
        dandisetId: Number(id),
      },
    });
    await request(ctx.app).get(`/api/dandisets/${id}/uploads/`).expect(401);
    await request(ctx.app).get(`/api/dandisets/${id}/uploads/`).set(auth(other.token)).expect(403);
    const res = await request(ctx.app).get(`/api/dandisets/${id}/uploads/`).set(auth(owner.token)).expect(200);
    expect(res.body).toMatchObject({
      count: 1,
      next: null,
      previous: null,
      results: [{ upload_id: uploadId, size: 123, etag: `${"f".repeat(32)}-1` }],
    });
    expect((await request(ctx.app).get(`/api/dandisets/${id}/`)).body.draft_version.active_uploads).toBe(1);
    await request(ctx.app).delete(`/api/dandisets/${id}/uploads/`).set(auth(other.token)).expect(403);
    await request(ctx.app).delete(`/api/dandisets/${id}/uploads/`).set(auth(owner.token)).expect(204);
    expect(await ctx.prisma.upload.count({ where: { dandisetId: Number(id) } })).toBe(0);
  });
});
