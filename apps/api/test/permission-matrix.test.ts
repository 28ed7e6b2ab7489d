import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import request from "supertest";
import type { Express } from "express";
import type { UserStatus } from "@dandi/db";
import { blobKey, createReviewLink } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "./context";

/**
 * Every mutating /api route, called by every kind of user, against a fresh
 * OPEN dandiset each time. The expected statuses are DANDI's rules
 * (dandi-api.md section 5): anonymous 401, unapproved 403, rejected (inactive)
 * 401, owner-only routes 403 for approved non-owners, superusers act as owners.
 * The inventory test at the end fails when a new mutating route is added
 * without a row here.
 */

const ctx = await createTestContext();
const { prisma, storage } = ctx.deps;

/**
 * `viewer` is an approved user with read-only access to the world's dandiset; `reviewer` a browser
 * session holding a valid review link for it: neither may write anything (viewer = approved,
 * reviewer = anonymous on every row).
 */
const ACTORS = [
  "anonymous",
  "incomplete",
  "pending",
  "rejected",
  "approved",
  "viewer",
  "reviewer",
  "owner",
  "admin",
] as const;
type TActor = (typeof ACTORS)[number];

async function makeUser(status: UserStatus, extra: { isSuperuser?: boolean; isActive?: boolean } = {}) {
  const u = await buildUser(prisma, { status, isSuperuser: extra.isSuperuser });
  if (extra.isActive === false) await prisma.user.update({ where: { id: u.user.id }, data: { isActive: false } });
  return u;
}

const users = {
  incomplete: await makeUser("INCOMPLETE"),
  pending: await makeUser("PENDING"),
  rejected: await makeUser("REJECTED", { isActive: false }),
  approved: await makeUser("APPROVED"),
  viewer: await makeUser("APPROVED"),
  owner: await makeUser("APPROVED"),
  admin: await makeUser("APPROVED", { isSuperuser: true }),
};

/** A fresh OPEN dandiset owned by `owner`: draft, one asset on a stored blob, one open upload. */
async function seedWorld() {
  const bytes = randomBytes(32);
  const blobUuid = randomUUID();
  await storage.putObject(blobKey(blobUuid), bytes);
  const blob = await prisma.assetBlob.create({
    data: {
      blobId: blobUuid,
      key: blobKey(blobUuid),
      etag: `${randomBytes(16).toString("hex")}-1`,
      size: BigInt(bytes.length),
    },
  });
  const dandiset = await prisma.dandiset.create({
    data: {
      owners: { create: { userId: users.owner.user.id } },
      versions: { create: { version: "draft", name: "World", metadata: { schemaVersion: "0.7.0", name: "World" } } },
    },
    include: { versions: true },
  });
  const asset = await prisma.asset.create({
    data: {
      assetId: randomUUID(),
      path: "a.nwb",
      blobId: blob.id,
      metadata: { schemaVersion: "0.7.0", path: "a.nwb" },
    },
  });
  await prisma.versionAsset.create({
    data: { versionId: dandiset.versions[0]!.id, assetId: asset.id, path: asset.path, created: asset.created },
  });
  // Its leaf in the folder tree, as an asset write leaves it (the path moves and deletes read the tree).
  await prisma.assetPath.create({
    data: {
      versionId: dandiset.versions[0]!.id,
      path: asset.path,
      parent: "",
      assetId: asset.id,
      aggregateFiles: 1,
      aggregateSize: blob.size,
    },
  });
  const uploadUuid = randomUUID();
  const multipartUploadId = await storage.createMultipartUpload(blobKey(uploadUuid), { embargoed: false });
  await prisma.upload.create({
    data: {
      uploadId: uploadUuid,
      key: blobKey(uploadUuid),
      etag: `${randomBytes(16).toString("hex")}-1`,
      size: 10n,
      multipartUploadId,
      dandisetId: dandiset.id,
    },
  });
  // In a dandiset of its own: a dandiset with a zarr cannot be published (the publish row expects 409).
  const zarrDandiset = await prisma.dandiset.create({
    data: {
      owners: { create: { userId: users.owner.user.id } },
      versions: { create: { version: "draft", name: "Zarrs", metadata: { schemaVersion: "0.7.0", name: "Zarrs" } } },
    },
  });
  const zarr = await prisma.zarrArchive.create({
    data: { zarrId: randomUUID(), dandisetId: zarrDandiset.id, name: "w.zarr" },
  });
  await storage.putObject(`zarr/${zarr.zarrId}/0/0`, "chunk");
  const target = await buildUser(prisma, { status: "PENDING" });
  // Read-only access: the viewer, an invitation, a review link (opened by the reviewer) and a pending request.
  await prisma.dandisetViewer.create({ data: { dandisetId: dandiset.id, userId: users.viewer.user.id } });
  const invitation = await prisma.viewerInvitation.create({
    data: { dandisetId: dandiset.id, email: `invitee-${randomUUID()}@x.org` },
  });
  const { link, token: reviewToken } = await createReviewLink({
    db: prisma,
    actor: users.owner.user,
    dandisetId: dandiset.id,
    days: 1,
  });
  const opened = await request(ctx.app).get(`/api/review/${reviewToken}/`).expect(302);
  const reviewCookie = String(opened.headers["set-cookie"]![0]).split(";")[0]!;
  const accessRequest = await prisma.accessRequest.create({
    data: { dandisetId: dandiset.id, userId: target.user.id, message: "Please" },
  });
  return {
    invitationId: invitation.id,
    linkId: link.id,
    reviewCookie,
    accessRequestId: accessRequest.id,
    id: String(dandiset.id).padStart(6, "0"),
    zarrId: zarr.zarrId,
    blob,
    asset,
    uploadId: uploadUuid,
    target: target.user.username,
  };
}
type TWorld = Awaited<ReturnType<typeof seedWorld>>;

interface TCase {
  /** The route as Express registers it, e.g. "POST /dandisets/:dandisetId/". */
  route: string;
  call: (app: Express, w: TWorld) => request.Test;
  /** Expected status per actor. */
  expect: Record<TActor, number>;
}

/** DANDI's global rule for unsafe methods, then the route's own answers for the rest. */
const ungated = { anonymous: 401, incomplete: 403, pending: 403, rejected: 401, reviewer: 401 };
/** The viewer answers as an approved non-owner, the review-link holder as an anonymous caller. */
const gated = (rest: { approved: number; owner: number; admin: number }): Record<TActor, number> => ({
  ...ungated,
  ...rest,
  viewer: rest.approved,
});
const ownerOnly = (ok: number) => gated({ approved: 403, owner: ok, admin: ok });
const anyApproved = (ok: number) => gated({ approved: ok, owner: ok, admin: ok });
/** A row spelled out per actor (routes open to unapproved users): viewer and reviewer added as above. */
const each = (e: Omit<Record<TActor, number>, "viewer" | "reviewer">): Record<TActor, number> => ({
  ...e,
  viewer: e.approved,
  reviewer: e.anonymous,
});

const d = (w: TWorld) => `/api/dandisets/${w.id}`;
const draft = (w: TWorld) => `${d(w)}/versions/draft`;

const CASES: TCase[] = [
  {
    route: "POST /dandisets/",
    call: (a) => request(a).post("/api/dandisets/").send({ name: "New", metadata: {} }),
    expect: anyApproved(200),
  },
  { route: "DELETE /dandisets/:dandisetId/", call: (a, w) => request(a).delete(`${d(w)}/`), expect: ownerOnly(204) },
  {
    route: "PUT /dandisets/:dandisetId/users/",
    call: (a, w) =>
      request(a)
        .put(`${d(w)}/users/`)
        .send([{ username: users.owner.user.username }]),
    expect: ownerOnly(200),
  },
  {
    route: "POST /dandisets/:dandisetId/star/",
    call: (a, w) => request(a).post(`${d(w)}/star/`),
    expect: anyApproved(200),
  },
  {
    route: "DELETE /dandisets/:dandisetId/star/",
    call: (a, w) => request(a).delete(`${d(w)}/star/`),
    expect: anyApproved(200),
  },
  {
    route: "DELETE /dandisets/:dandisetId/uploads/",
    call: (a, w) => request(a).delete(`${d(w)}/uploads/`),
    expect: ownerOnly(204),
  },
  {
    route: "PUT /dandisets/:dandisetId/versions/:version/",
    call: (a, w) =>
      request(a)
        .put(`${draft(w)}/`)
        .send({ name: "Renamed", metadata: { name: "Renamed" } }),
    expect: ownerOnly(200),
  },
  {
    // Draft versions can never be deleted, not even by admins.
    route: "DELETE /dandisets/:dandisetId/versions/:version/",
    call: (a, w) => request(a).delete(`${draft(w)}/`),
    expect: gated({ approved: 403, owner: 403, admin: 403 }),
  },
  {
    // The draft is Pending (not yet validated): owners get past authorization to the 409.
    route: "POST /dandisets/:dandisetId/versions/:version/publish/",
    call: (a, w) => request(a).post(`${draft(w)}/publish/`),
    expect: ownerOnly(409),
  },
  {
    route: "POST /dandisets/:dandisetId/versions/:version/assets/",
    call: (a, w) =>
      request(a)
        .post(`${draft(w)}/assets/`)
        .send({ blob_id: w.blob.blobId, metadata: { path: "b.nwb", schemaVersion: "0.7.0" } }),
    expect: ownerOnly(200),
  },
  {
    route: "PUT /dandisets/:dandisetId/versions/:version/assets/:assetId/",
    call: (a, w) =>
      request(a)
        .put(`${draft(w)}/assets/${w.asset.assetId}/`)
        .send({ blob_id: w.blob.blobId, metadata: { path: "c.nwb", schemaVersion: "0.7.0" } }),
    expect: ownerOnly(200),
  },
  {
    route: "DELETE /dandisets/:dandisetId/versions/:version/assets/:assetId/",
    call: (a, w) => request(a).delete(`${draft(w)}/assets/${w.asset.assetId}/`),
    expect: ownerOnly(204),
  },
  {
    route: "POST /dandisets/:dandisetId/versions/:version/assets/paths/move/",
    call: (a, w) =>
      request(a)
        .post(`${draft(w)}/assets/paths/move/`)
        .send({ source: "a.nwb", destination: "d/a.nwb" }),
    expect: ownerOnly(200),
  },
  {
    route: "POST /dandisets/:dandisetId/versions/:version/assets/paths/delete/",
    call: (a, w) =>
      request(a)
        .post(`${draft(w)}/assets/paths/delete/`)
        .send({ path: "a.nwb" }),
    expect: ownerOnly(200),
  },
  {
    route: "POST /zarr/",
    call: (a, w) => request(a).post("/api/zarr/").send({ name: "new.zarr", dandiset: w.id }),
    expect: ownerOnly(200),
  },
  {
    route: "POST /zarr/:zarrId/files/",
    call: (a, w) =>
      request(a)
        .post(`/api/zarr/${w.zarrId}/files/`)
        .send([{ path: "0/1", base64md5: "1B2M2Y8AsgTpgAmY7PhCfg==" }]),
    expect: ownerOnly(200),
  },
  {
    route: "DELETE /zarr/:zarrId/files/",
    call: (a, w) =>
      request(a)
        .delete(`/api/zarr/${w.zarrId}/files/`)
        .send([{ path: "0/0" }]),
    expect: ownerOnly(204),
  },
  {
    route: "POST /zarr/:zarrId/finalize/",
    call: (a, w) => request(a).post(`/api/zarr/${w.zarrId}/finalize/`),
    expect: ownerOnly(204),
  },
  {
    route: "POST /uploads/initialize/",
    call: (a, w) =>
      request(a)
        .post("/api/uploads/initialize/")
        .send({
          contentSize: 10,
          digest: { algorithm: "dandi:dandi-etag", value: `${randomBytes(16).toString("hex")}-1` },
          dandiset: w.id,
        }),
    expect: gated({ approved: 403, owner: 200, admin: 200 }),
  },
  {
    // As DANDI: any approved user may complete a (non-embargoed) upload.
    route: "POST /uploads/:uploadId/complete/",
    call: (a, w) =>
      request(a)
        .post(`/api/uploads/${w.uploadId}/complete/`)
        .send({ parts: [{ part_number: 1, size: 10, etag: "0".repeat(32) }] }),
    expect: anyApproved(200),
  },
  {
    // Fresh part URLs for resuming (not in DANDI): owners only, as initialize.
    route: "POST /uploads/:uploadId/parts/",
    call: (a, w) => request(a).post(`/api/uploads/${w.uploadId}/parts/`),
    expect: ownerOnly(200),
  },
  {
    // Nothing was uploaded, so everyone allowed in gets "Object does not exist.".
    route: "POST /uploads/:uploadId/validate/",
    call: (a, w) => request(a).post(`/api/uploads/${w.uploadId}/validate/`),
    expect: anyApproved(400),
  },
  {
    // A read in POST's clothing: open to everyone; an unknown digest is a 404.
    route: "POST /blobs/digest/",
    call: (a) =>
      request(a)
        .post("/api/blobs/digest/")
        .send({ algorithm: "dandi:dandi-etag", value: `${"f".repeat(32)}-1` }),
    expect: each({
      anonymous: 404,
      incomplete: 404,
      pending: 404,
      rejected: 401,
      approved: 404,
      owner: 404,
      admin: 404,
    }),
  },
  {
    // The dandiset is OPEN: owners get past authorization to "Dandiset not embargoed".
    route: "POST /dandisets/:id/unembargo/",
    call: (a, w) => request(a).post(`${d(w)}/unembargo/`),
    expect: ownerOnly(400),
  },
  {
    // OAI-PMH 2.0 allows every verb by POST (form-encoded): a read, open to every harvester (a
    // rejected user's credentials are refused on every route, as anywhere else).
    route: "POST /oai/",
    call: (a) => request(a).post("/api/oai/").type("form").send({ verb: "Identify" }),
    expect: each({
      anonymous: 200,
      incomplete: 200,
      pending: 200,
      rejected: 401,
      approved: 200,
      owner: 200,
      admin: 200,
    }),
  },
  { route: "POST /auth/token/", call: (a) => request(a).post("/api/auth/token/"), expect: anyApproved(200) },
  {
    // Wrong password for everyone; the route is open to unapproved users.
    route: "POST /auth/login/",
    call: (a) =>
      request(a)
        .post("/api/auth/login/")
        .set("X-CSRF-Token", "1")
        .send({ email: `nobody-${randomUUID()}@x.org`, password: "x" }),
    expect: each({
      anonymous: 400,
      incomplete: 400,
      pending: 400,
      rejected: 401,
      approved: 400,
      owner: 400,
      admin: 400,
    }),
  },
  {
    route: "POST /auth/logout/",
    call: (a) => request(a).post("/api/auth/logout/"),
    expect: each({
      anonymous: 204,
      incomplete: 204,
      pending: 204,
      rejected: 401,
      approved: 204,
      owner: 204,
      admin: 204,
    }),
  },
  {
    route: "POST /users/questionnaire/",
    call: (a) => request(a).post("/api/users/questionnaire/").send({ first_name: "A", last_name: "B" }),
    expect: each({
      anonymous: 401,
      incomplete: 200,
      pending: 200,
      rejected: 401,
      approved: 200,
      owner: 200,
      admin: 200,
    }),
  },
  {
    route: "POST /users/questionnaire-form/",
    call: (a) =>
      request(a).post("/api/users/questionnaire-form/").type("form").send({ first_name: "A", last_name: "B" }),
    expect: each({
      anonymous: 401,
      incomplete: 302,
      pending: 302,
      rejected: 401,
      approved: 302,
      owner: 302,
      admin: 302,
    }),
  },
  // Read-only access (owners manage it; viewers and review-link holders may not).
  {
    route: "POST /dandisets/:dandisetId/viewers/",
    call: (a, w) =>
      request(a)
        .post(`${d(w)}/viewers/`)
        .send({ username: w.target }),
    expect: ownerOnly(201),
  },
  {
    route: "DELETE /dandisets/:dandisetId/viewers/:username/",
    call: (a, w) => request(a).delete(`${d(w)}/viewers/${users.viewer.user.username}/`),
    expect: ownerOnly(204),
  },
  {
    route: "DELETE /dandisets/:dandisetId/viewer-invitations/:invitationId/",
    call: (a, w) => request(a).delete(`${d(w)}/viewer-invitations/${w.invitationId}/`),
    expect: ownerOnly(204),
  },
  {
    route: "POST /dandisets/:dandisetId/review-links/",
    call: (a, w) =>
      request(a)
        .post(`${d(w)}/review-links/`)
        .send({ expires_in_days: 7 }),
    expect: ownerOnly(201),
  },
  {
    route: "DELETE /dandisets/:dandisetId/review-links/:linkId/",
    call: (a, w) => request(a).delete(`${d(w)}/review-links/${w.linkId}/`),
    expect: ownerOnly(204),
  },
  {
    // The dandiset is OPEN: everyone allowed in can see it already.
    route: "POST /dandisets/:dandisetId/access-requests/",
    call: (a, w) =>
      request(a)
        .post(`${d(w)}/access-requests/`)
        .send({ message: "Please" }),
    expect: anyApproved(400),
  },
  {
    route: "POST /dandisets/:dandisetId/access-requests/:requestId/approve/",
    call: (a, w) => request(a).post(`${d(w)}/access-requests/${w.accessRequestId}/approve/`),
    expect: ownerOnly(200),
  },
  {
    route: "POST /dandisets/:dandisetId/access-requests/:requestId/decline/",
    call: (a, w) => request(a).post(`${d(w)}/access-requests/${w.accessRequestId}/decline/`),
    expect: ownerOnly(200),
  },
  {
    route: "POST /admin/users/:username/approve/",
    call: (a, w) => request(a).post(`/api/admin/users/${w.target}/approve/`),
    expect: gated({ approved: 403, owner: 403, admin: 200 }),
  },
  {
    route: "POST /admin/users/:username/reject/",
    call: (a, w) => request(a).post(`/api/admin/users/${w.target}/reject/`).send({ reason: "No." }),
    expect: gated({ approved: 403, owner: 403, admin: 200 }),
  },
];

describe("permission matrix", () => {
  it.each(CASES.map((c) => [c.route, c] as const))(
    "%s",
    async (_route, c) => {
      const actual = {} as Record<TActor, number>;
      for (const actor of ACTORS) {
        const w = await seedWorld();
        let call = c.call(ctx.app, w);
        if (actor === "reviewer") call = call.set("Cookie", w.reviewCookie);
        else if (actor !== "anonymous") call = call.set("Authorization", `token ${users[actor].token}`);
        const res = await call;
        actual[actor] = res.status;
        // A new API key replaces the old one: keep using the actor's current key.
        if (c.route === "POST /auth/token/" && res.status === 200)
          users[actor as keyof typeof users].token = res.body as string;
      }
      expect(actual).toEqual(c.expect);
    },
    120_000,
  );

  it("covers every mutating /api route the app registers", () => {
    const found: string[] = [];
    const walk = (stack: unknown[], prefix: string) => {
      for (const layer of stack as {
        route?: { path: string; methods: Record<string, boolean> };
        handle?: { stack?: unknown[] };
        rawPath?: string;
      }[]) {
        if (layer.route) {
          for (const m of Object.keys(layer.route.methods))
            found.push(`${m.toUpperCase()} ${prefix}${layer.route.path}`);
        } else if (layer.handle?.stack) {
          walk(layer.handle.stack, prefix + (layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : ""));
        }
      }
    };
    walk((ctx.app as unknown as { router: { stack: unknown[] } }).router.stack, "");
    const mutating = found
      .filter((r) => /^(POST|PUT|PATCH|DELETE) \/api\//.test(r))
      .map((r) => r.replace(" /api/", " /"))
      .sort();
    expect(mutating).toEqual(CASES.map((c) => c.route).sort());
  });
});
