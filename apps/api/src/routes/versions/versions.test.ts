import { describe, expect, it } from "vitest";
import request from "supertest";
import { randomUUID } from "node:crypto";
import { buildUser } from "@dandi/testing";
import { validateVersionMetadata } from "@dandi/core";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const auth = (token: string) => ({ Authorization: `token ${token}` });

async function setup() {
  const owner = await buildUser(ctx.prisma, { firstName: "John", lastName: "Doe" });
  const res = await request(ctx.app)
    .post("/api/dandisets/")
    .set(auth(owner.token))
    .send({ name: "Test", metadata: { description: "d" } })
    .expect(200);
  const id = res.body.identifier as string;
  return { owner, id };
}

describe("versions", () => {
  it("lists versions with the nested dandiset", async () => {
    const { id } = await setup();
    const res = await request(ctx.app).get(`/api/dandisets/${id}/versions/`).expect(200);
    expect(res.body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [
        {
          dandiset: {
            identifier: id,
            created: expect.any(String),
            modified: expect.any(String),
            contact_person: "Doe, John",
            embargo_status: "OPEN",
            star_count: 0,
            is_starred: false,
          },
          version: "draft",
          name: "Test",
          asset_count: 0,
          active_uploads: 0,
          size: 0,
          status: "Pending",
          created: expect.any(String),
          modified: expect.any(String),
          release_notes: "",
        },
      ],
    });
    await ctx.prisma.version.create({
      data: {
        dandisetId: Number(id),
        version: "0.240101.1200",
        name: "p",
        metadata: { schemaVersion: "0.7.0", releaseNotes: "first" },
        status: "Valid",
        created: new Date(Date.now() + 5000),
      },
    });
    const desc = await request(ctx.app).get(`/api/dandisets/${id}/versions/?order=-created`).expect(200);
    expect(desc.body.results.map((v: { version: string }) => v.version)).toEqual(["0.240101.1200", "draft"]);
    expect(desc.body.results[0].release_notes).toBe("first");
  });

  it("serves raw metadata and VersionDetail with asset validation errors", async () => {
    const { id } = await setup();
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    const raw = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).expect(200);
    expect(raw.body).toEqual(draft.metadata);
    for (const [path, status, errors] of [
      ["a.txt", "Pending", []],
      ["b.txt", "Invalid", [{ field: "contentSize", message: "bad" }]],
    ] as const) {
      const blobId = randomUUID();
      const blob = await ctx.prisma.assetBlob.create({
        data: { blobId, key: `blobs/${blobId}`, etag: `${blobId.replace(/-/g, "")}-1`, size: 1n },
      });
      const asset = await ctx.prisma.asset.create({
        data: {
          assetId: randomUUID(),
          path,
          blobId: blob.id,
          metadata: { schemaVersion: "0.7.0" },
          status,
          validationErrors: errors,
        },
      });
      await ctx.prisma.versionAsset.create({
        data: { versionId: draft.id, assetId: asset.id, path, created: asset.created },
      });
    }
    const info = await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/info/`).expect(200);
    expect(info.body.asset_validation_errors).toEqual([
      { field: "", message: "asset is currently being validated, please wait.", path: "a.txt" },
      { field: "contentSize", message: "bad", path: "b.txt" },
    ]);
    expect(info.body).toMatchObject({
      version: "draft",
      version_validation_errors: [],
      contact_person: "Doe, John",
      metadata: draft.metadata,
      dandiset: { identifier: id },
    });
    await request(ctx.app).get(`/api/dandisets/${id}/versions/0.999999.9999/`).expect(404);
    await request(ctx.app).get(`/api/dandisets/${id}/versions/bogus/`).expect(404);
  });

  it("updates draft metadata only when it changed", async () => {
    const { owner, id } = await setup();
    const other = await buildUser(ctx.prisma);
    const url = `/api/dandisets/${id}/versions/draft/`;
    const current = (await request(ctx.app).get(url)).body;
    await ctx.prisma.version.updateMany({ where: { dandisetId: Number(id) }, data: { status: "Valid" } });
    const before = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    await request(ctx.app).put(url).set(auth(owner.token)).send({ name: "Test", metadata: current }).expect(200);
    const same = await ctx.prisma.version.findFirstOrThrow({ where: { id: before.id } });
    expect(same.modified).toEqual(before.modified);
    expect(same.status).toBe("Valid");

    await request(ctx.app).put(url).set(auth(other.token)).send({ name: "New", metadata: {} }).expect(403);
    await request(ctx.app).put(url).send({ name: "New", metadata: {} }).expect(401);
    const res = await request(ctx.app)
      .put(url)
      .set(auth(owner.token))
      .send({ name: "New name", metadata: { ...current, description: "changed", citation: "ignored" } })
      .expect(200);
    expect(res.body).toMatchObject({
      name: "New name",
      status: "Pending",
      metadata: { name: "New name", description: "changed" },
    });
    expect(res.body.metadata.citation).toContain("New name (Version draft)");
    const audit = await ctx.prisma.auditRecord.findMany({
      where: { dandisetId: Number(id), recordType: "update_metadata" },
    });
    expect(audit).toHaveLength(1);

    await ctx.prisma.version.create({
      data: {
        dandisetId: Number(id),
        version: "0.240101.1200",
        name: "p",
        metadata: { schemaVersion: "0.7.0" },
        status: "Valid",
      },
    });
    const put = await request(ctx.app)
      .put(`/api/dandisets/${id}/versions/0.240101.1200/`)
      .set(auth(owner.token))
      .send({ name: "x", metadata: {} })
      .expect(405);
    expect(put.body).toBe("Only draft versions can be modified.");
  });

  it("deletes only published versions, and only for admins", async () => {
    const { owner, id } = await setup();
    const admin = await buildUser(ctx.prisma, { isSuperuser: true });
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
      expect(
        (await request(ctx.app).delete(`/api/dandisets/${id}/versions/draft/`).set(auth(token)).expect(403)).body,
      ).toBe("Cannot delete draft versions");
    }
    expect(
      (await request(ctx.app).delete(`/api/dandisets/${id}/versions/0.240101.1200/`).set(auth(owner.token)).expect(403))
        .body,
    ).toBe("Cannot delete published versions");
    await request(ctx.app).delete(`/api/dandisets/${id}/versions/0.240101.1200/`).set(auth(admin.token)).expect(204);
  });

  it("gates embargoed versions", async () => {
    const owner = await buildUser(ctx.prisma);
    const other = await buildUser(ctx.prisma);
    const id = (
      await request(ctx.app)
        .post("/api/dandisets/?embargo=true")
        .set(auth(owner.token))
        .send({ name: "E", metadata: {} })
    ).body.identifier;
    await request(ctx.app).get(`/api/dandisets/${id}/versions/`).expect(401);
    await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/info/`).set(auth(other.token)).expect(403);
    await request(ctx.app).get(`/api/dandisets/${id}/versions/draft/`).set(auth(owner.token)).expect(200);
  });
});

describe("validateVersionMetadata", () => {
  it("marks an empty draft Invalid and skips non-Pending drafts", async () => {
    const { id } = await setup();
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    const opts = { db: ctx.prisma, schemas: ctx.deps.schemas, config: ctx.config, versionId: draft.id };
    expect(await validateVersionMetadata(opts)).toBe("Invalid");
    const after = await ctx.prisma.version.findUniqueOrThrow({ where: { id: draft.id } });
    expect(after.status).toBe("Invalid");
    expect(after.validationErrors).toContainEqual({
      field: "assetsSummary",
      message: "Value error, A Dandiset containing no files or zero bytes is not publishable",
    });
    expect(await validateVersionMetadata(opts)).toBe("skipped");
  });

  it("marks a complete draft with files Valid", async () => {
    const { id } = await setup();
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: Number(id), version: "draft" } });
    const metadata = {
      ...(draft.metadata as object),
      license: ["spdx:CC0-1.0"],
      description: "A dataset",
    };
    await ctx.prisma.version.update({ where: { id: draft.id }, data: { metadata, assetCount: 1n, size: 10n } });
    const result = await validateVersionMetadata({
      db: ctx.prisma,
      schemas: ctx.deps.schemas,
      config: ctx.config,
      versionId: draft.id,
    });
    const after = await ctx.prisma.version.findUniqueOrThrow({ where: { id: draft.id } });
    expect({ result, errors: after.validationErrors }).toEqual({ result: "Valid", errors: [] });
  });
});
