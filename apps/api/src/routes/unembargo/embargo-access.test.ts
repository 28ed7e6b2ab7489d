import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { seedEmbargoedDandiset } from "./embargo.fixtures";

const ctx = await createTestContext();
const owner = await buildUser(ctx.prisma);
const other = await buildUser(ctx.prisma);
const admin = await buildUser(ctx.prisma, { isSuperuser: true });
const secret = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
const auth = (u: { token: string }) => ({ Authorization: `token ${u.token}` });

const base = `/api/dandisets/${secret.id}`;
const assetPath = `${base}/versions/draft/assets/${secret.asset.assetId}`;

describe("an embargoed dandiset's metadata and assets", () => {
  const reads = [
    `${base}/`,
    `${base}/versions/`,
    `${base}/versions/draft/`,
    `${base}/versions/draft/info/`,
    `${base}/versions/draft/assets/`,
    `${assetPath}/`,
    `/api/assets/${secret.asset.assetId}/`,
  ];

  it.each(reads)("GET %s is 401 anonymous, 403 for others, 200 for the owner and admins", async (path) => {
    await request(ctx.app).get(path).expect(401);
    await request(ctx.app).get(path).set(auth(other)).expect(403);
    await request(ctx.app).get(path).set(auth(owner)).expect(200);
    await request(ctx.app).get(path).set(auth(admin)).expect(200);
  });

  it("is hidden from listings for others", async () => {
    const anon = await request(ctx.app).get("/api/dandisets/").expect(200);
    expect(anon.body.results.map((d: { identifier: string }) => d.identifier)).not.toContain(secret.id);
    const mine = await request(ctx.app).get("/api/dandisets/?embargoed=true").set(auth(other)).expect(200);
    expect(mine.body.results.map((d: { identifier: string }) => d.identifier)).not.toContain(secret.id);
  });
});

describe("an embargoed blob's bytes", () => {
  it.each([`/api/assets/${secret.asset.assetId}/download/`, `${assetPath}/download/`])(
    "are not handed out by %s to others",
    async (path) => {
      await request(ctx.app).get(path).expect(401);
      await request(ctx.app).get(path).set(auth(other)).expect(403);
      const ok = await request(ctx.app).get(path).set(auth(owner)).expect(302);
      expect(ok.headers.location).toBeTruthy();
    },
  );

  it("cannot be found by digest by others", async () => {
    const body = { algorithm: "dandi:dandi-etag", value: secret.blob.etag };
    await request(ctx.app).post("/api/blobs/digest/").send(body).expect(404);
    await request(ctx.app).post("/api/blobs/digest/").set(auth(other)).send(body).expect(404);
    const mine = await request(ctx.app).post("/api/blobs/digest/").set(auth(owner)).send(body).expect(200);
    expect(mine.body.blob_id).toBe(secret.blob.blobId);
  });

  it("is not revealed by upload dedupe to another dandiset's owner", async () => {
    const theirs = await ctx.prisma.dandiset.create({
      data: {
        owners: { create: { userId: other.user.id } },
        versions: { create: { version: "draft", name: "Mine", metadata: { schemaVersion: "0.7.0" } } },
      },
    });
    const res = await request(ctx.app)
      .post("/api/uploads/initialize/")
      .set(auth(other))
      .send({
        contentSize: Number(secret.blob.size),
        digest: { algorithm: "dandi:dandi-etag", value: secret.blob.etag },
        dandiset: String(theirs.id).padStart(6, "0"),
      });
    expect(res.status).not.toBe(409);
    expect(res.headers.location ?? "").not.toContain(secret.blob.blobId);
  });

  it("cannot be attached by another user to their own open dandiset", async () => {
    const theirs = await ctx.prisma.dandiset.create({
      data: {
        owners: { create: { userId: other.user.id } },
        versions: { create: { version: "draft", name: "Mine", metadata: { schemaVersion: "0.7.0" } } },
      },
    });
    const res = await request(ctx.app)
      .post(`/api/dandisets/${String(theirs.id).padStart(6, "0")}/versions/draft/assets/`)
      .set(auth(other))
      .send({ blob_id: secret.blob.blobId, metadata: { path: "stolen.nwb", schemaVersion: "0.7.0" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    const blob = await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: secret.blob.id } });
    expect(blob.embargoed).toBe(true);
  });

  it("are refused by storage's unsigned object URL", async () => {
    // Its own dandiset, so that no other test's outcome can change this blob.
    const own = await seedEmbargoedDandiset(ctx.prisma, ctx.deps.storage, owner.user.id);
    const url = new URL(ctx.deps.storage.objectUrl(own.blob.key));
    const res = await request(ctx.app).get(url.pathname);
    expect([401, 403, 404]).toContain(res.status);
  });
});
