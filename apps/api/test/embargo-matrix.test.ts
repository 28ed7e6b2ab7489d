import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import request from "supertest";
import type { EmbargoStatus } from "@dandi/db";
import { blobKey, createReviewLink, createUser, regenerateApiKey } from "@dandi/core";
import { buildUser } from "@dandi/testing";
import { registeredRoutes } from "./app-routes";
import { createTestContext } from "./context";

/**
 * The read policy, proven on every GET/HEAD route the app registers: each
 * route is called against an EMBARGOED, an UNEMBARGOING and an OPEN dandiset
 * by an anonymous caller, an unrelated approved user, an owner and an admin.
 *
 * - A "private" route (about one dandiset, asset, zarr) refuses the anonymous
 *   and the unrelated caller on a dandiset that is not OPEN, and answers the
 *   owner and the admin.
 * - Every other route (lists, search, global and account routes) answers with
 *   whatever status it has, but for a dandiset that is not OPEN no response to
 *   the anonymous or unrelated caller names anything of it (its name, asset
 *   paths and ids, blob digests, zarr and upload ids); lists that show it to
 *   owners are checked to do so ("shows").
 * - No response to the anonymous or unrelated caller, on any route and any
 *   dandiset, carries any other user's e-mail address.
 *
 * The inventory test at the end fails when a GET/HEAD route is registered
 * without a row here.
 */

const ctx = await createTestContext();
const { prisma, storage } = ctx.deps;

/**
 * Besides those four: `viewer`, an approved user given read-only access to each dandiset;
 * `reviewer`, a browser session that opened a valid review link of the dandiset; `revoked` and
 * `expired`, sessions that opened a link since revoked, or one past its expiry (they read as
 * anonymous callers).
 */
const ACTORS = ["anonymous", "approved", "viewer", "reviewer", "revoked", "expired", "owner", "admin"] as const;
type TActor = (typeof ACTORS)[number];
const DENIED: readonly TActor[] = ["anonymous", "approved", "revoked", "expired"];
/** The callers without a user: answered as anonymous when refused. */
const SESSION_ONLY: readonly TActor[] = ["reviewer", "revoked", "expired"];
type TUserActor = "approved" | "viewer" | "owner" | "admin";

/** Users made the way a deployment makes them: `manage create-user`'s createUser, and GitHub sign-in's shape. */
async function makeUser(email: string, extra: { isSuperuser?: boolean } = {}) {
  const user = await createUser(prisma, {
    email,
    status: "APPROVED",
    firstName: "Ada",
    lastName: "Lovelace",
    isSuperuser: extra.isSuperuser,
  });
  return { user, token: await regenerateApiKey(prisma, user.id) };
}
const users = {
  approved: await makeUser(`visitor-${randomUUID().slice(0, 8)}@lab.example`),
  viewer: await makeUser(`viewer-${randomUUID().slice(0, 8)}@lab.example`),
  owner: await makeUser(`owner-${randomUUID().slice(0, 8)}@lab.example`),
  admin: await makeUser(`root-${randomUUID().slice(0, 8)}@lab.example`, { isSuperuser: true }),
};
/** A co-owner who signed in with GitHub. */
const coOwner = await buildUser(prisma, {
  email: `co-${randomUUID().slice(0, 8)}@lab.example`,
  githubLogin: `co-${randomUUID().slice(0, 8)}`,
  githubName: "Co Owner",
});
const EMAILS = [users.approved, users.viewer, users.owner, users.admin, coOwner].map((u) => u.user.email);

/** The headers of a call as `actor` on world `w`: an API key, a review session's cookie, or nothing. */
const auth = (actor: TActor, w?: TWorld): Record<string, string> =>
  actor === "anonymous"
    ? {}
    : SESSION_ONLY.includes(actor)
      ? { Cookie: w!.sessions[actor as "reviewer" | "revoked" | "expired"] }
      : { Authorization: `token ${users[actor as TUserActor].token}` };

/** A browser session that opened a new review link of the dandiset; the link then ends as `fate` says. */
async function reviewSession(dandisetId: number, fate: "valid" | "revoked" | "expired") {
  const { link, token } = await createReviewLink({ db: prisma, actor: users.owner.user, dandisetId, days: 30 });
  const res = await request(ctx.app).get(`/api/review/${token}/`).expect(302);
  const cookie = String(res.headers["set-cookie"]![0]).split(";")[0]!;
  if (fate === "revoked") await prisma.reviewLink.update({ where: { id: link.id }, data: { revoked: new Date() } });
  if (fate === "expired") {
    await prisma.reviewLink.update({ where: { id: link.id }, data: { expires: new Date(Date.now() - 1000) } });
  }
  return { cookie, token };
}

/**
 * A dandiset with `status`, owned by `owner` and `coOwner`: a draft with two
 * assets added through the API (one on a blob of its own, one on a blob another
 * dandiset could share, which stays open), a zarr with one file, and an open upload.
 */
async function seedWorld(status: EmbargoStatus) {
  const tag = randomUUID().slice(0, 8);
  const name = `Secret ${tag}`;
  const embargoed = status !== "OPEN";
  const dandiset = await prisma.dandiset.create({
    data: {
      // Assets are added while EMBARGOED (no writes while UNEMBARGOING), then the status is set.
      embargoStatus: embargoed ? "EMBARGOED" : "OPEN",
      embargoEndDate: embargoed ? new Date("2030-01-01") : null,
      owners: { create: [{ userId: users.owner.user.id }, { userId: coOwner.user.id }] },
      versions: { create: { version: "draft", name, status: "Valid", metadata: { schemaVersion: "0.7.0", name } } },
    },
  });
  const id = String(dandiset.id).padStart(6, "0");
  const markers: string[] = [name];
  const assets: string[] = [];
  const blobs = [];
  for (const [i, blobEmbargoed] of [embargoed, false].entries()) {
    const uuid = randomUUID();
    const bytes = randomBytes(16);
    await storage.putObject(blobKey(uuid), bytes, { embargoed: blobEmbargoed });
    const blob = await prisma.assetBlob.create({
      data: {
        blobId: uuid,
        key: blobKey(uuid),
        etag: `${randomBytes(16).toString("hex")}-1`,
        sha256: randomBytes(32).toString("hex"),
        size: BigInt(bytes.length),
        embargoed: blobEmbargoed,
      },
    });
    blobs.push(blob);
    const path = `sub-${tag}/secret-${tag}-${i}.nwb`;
    const res = await request(ctx.app)
      .post(`/api/dandisets/${id}/versions/draft/assets/`)
      .set(auth("owner"))
      .send({
        blob_id: blob.blobId,
        metadata: {
          path,
          wasAttributedTo: [
            {
              schemaKey: "Participant",
              identifier: `sub-${tag}`,
              genotype: `genotype-${tag}`,
              species: { schemaKey: "SpeciesType", identifier: "http://x.test/taxon", name: `Species ${tag}` },
            },
          ],
        },
      })
      .expect(200);
    assets.push(res.body.asset_id as string);
    markers.push(path, res.body.asset_id, blob.blobId, blob.etag, blob.sha256!, blob.key);
  }
  markers.push(`genotype-${tag}`, `Species ${tag}`, `sub-${tag}`);
  const zarr = await prisma.zarrArchive.create({
    data: { zarrId: randomUUID(), dandisetId: dandiset.id, name: "s.zarr" },
  });
  await storage.putObject(`zarr/${zarr.zarrId}/0/0`, "chunk", { embargoed });
  markers.push(zarr.zarrId);
  let uploadId: string | null = null;
  if (status !== "UNEMBARGOING") {
    // An unembargo starts only once no upload is active.
    uploadId = randomUUID();
    const multipartUploadId = await storage.createMultipartUpload(blobKey(uploadId), { embargoed });
    await prisma.upload.create({
      data: {
        uploadId,
        key: blobKey(uploadId),
        etag: `${randomBytes(16).toString("hex")}-1`,
        size: 10n,
        multipartUploadId,
        dandisetId: dandiset.id,
        embargoed: status === "EMBARGOED",
      },
    });
    markers.push(uploadId);
  }
  if (status === "UNEMBARGOING") {
    await prisma.dandiset.update({ where: { id: dandiset.id }, data: { embargoStatus: "UNEMBARGOING" } });
  }
  await prisma.dandisetViewer.create({ data: { dandisetId: dandiset.id, userId: users.viewer.user.id } });
  const reviewer = await reviewSession(dandiset.id, "valid");
  const sessions = {
    reviewer: reviewer.cookie,
    revoked: (await reviewSession(dandiset.id, "revoked")).cookie,
    expired: (await reviewSession(dandiset.id, "expired")).cookie,
  };
  return {
    status,
    id,
    tag,
    name,
    assets,
    blobs,
    zarrId: zarr.zarrId,
    uploadId,
    markers,
    sessions,
    reviewToken: reviewer.token,
  };
}
type TWorld = Awaited<ReturnType<typeof seedWorld>>;

const WORLDS = {
  EMBARGOED: await seedWorld("EMBARGOED"),
  UNEMBARGOING: await seedWorld("UNEMBARGOING"),
  OPEN: await seedWorld("OPEN"),
};

type TKind =
  /** About one dandiset: refused to the denied callers when it is not OPEN. */
  | {
      private: {
        ok: number;
        anonymous: number;
        approved: number;
        openApproved?: number;
        openAnonymous?: number;
        /** Owner-only routes: what a viewer and a review-link holder get (default: `ok`). */
        viewer?: number;
        reviewer?: number;
      };
    }
  /** Lists and search: never name a dandiset that is not OPEN to the denied callers; `shows`: owners see it. */
  | { list: { shows: boolean } }
  /** Not about dandisets (info, account, admin, static pages): only the no-leak checks. */
  | { global: string }
  /**
   * Crawler and harvester pages (landing HTML, sitemap, OAI-PMH): the same for every caller,
   * so a dandiset that is not OPEN is absent for owners and admins too; `status`: the answer
   * for an OPEN dandiset and for one that is not.
   */
  | { crawler: { status?: { open: number; hidden: number }; shows?: boolean } };

interface TCase {
  /** The route as Express registers it, e.g. "GET /api/dandisets/:dandisetId/". */
  route: string;
  calls: (w: TWorld, actor: TActor) => request.Test[];
  kind: TKind;
  /** Not registered yet on every tree (work in flight elsewhere): skipped by the stale-row check only. */
  optional?: boolean;
  /** A list that shows owners their dandisets but is not expected to show a viewer theirs. */
  hiddenFromViewers?: boolean;
}

const app = ctx.app;
const hasUser = (actor: TActor) => actor !== "anonymous" && !SESSION_ONLY.includes(actor);
const get = (url: string) => request(app).get(url);
const d = (w: TWorld) => `/api/dandisets/${w.id}`;
const v = (w: TWorld) => `${d(w)}/versions/draft`;
const dandisetRoute = (ok = 200) => ({ private: { ok, anonymous: 401, approved: 403 } });
/** Routes for the owners only, whatever the embargo: viewers are refused, review-link holders are anonymous. */
const ownersOnly = { viewer: 403, reviewer: 401 };
const ownerRoute = {
  private: { ok: 200, anonymous: 401, approved: 403, openAnonymous: 401, openApproved: 403, ...ownersOnly },
};

const CASES: TCase[] = [
  // One dandiset.
  { route: "GET /api/dandisets/:dandisetId/", calls: (w) => [get(`${d(w)}/`)], kind: dandisetRoute() },
  { route: "GET /api/dandisets/:dandisetId/users/", calls: (w) => [get(`${d(w)}/users/`)], kind: dandisetRoute() },
  {
    // Owners only, even when OPEN (DANDI).
    route: "GET /api/dandisets/:dandisetId/uploads/",
    calls: (w) => [get(`${d(w)}/uploads/`)],
    kind: {
      private: { ok: 200, anonymous: 401, approved: 403, openAnonymous: 401, openApproved: 403, ...ownersOnly },
    },
  },
  {
    route: "GET /api/dandisets/:dandisetId/downloads/",
    calls: (w) => [get(`${d(w)}/downloads/`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/",
    calls: (w) => [get(`${d(w)}/versions/`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/",
    calls: (w) => [get(`${v(w)}/`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/info/",
    calls: (w) => [get(`${v(w)}/info/`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/",
    calls: (w) => [get(`${v(w)}/assets/?metadata=true`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/paths/",
    calls: (w) => [get(`${v(w)}/assets/paths/`), get(`${v(w)}/assets/paths/?path_prefix=sub-${w.tag}`)],
    kind: dandisetRoute(),
  },
  {
    // The folder's files streamed as a zip (owners and admins: 200).
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/paths/zip/",
    calls: (w) => [get(`${v(w)}/assets/paths/zip/?path=sub-${w.tag}`), get(`${v(w)}/assets/paths/zip/`)],
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/:assetId/",
    calls: (w) => w.assets.map((a) => get(`${v(w)}/assets/${a}/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/:assetId/info/",
    calls: (w) => w.assets.map((a) => get(`${v(w)}/assets/${a}/info/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/:assetId/validation/",
    calls: (w) => w.assets.map((a) => get(`${v(w)}/assets/${a}/validation/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/assets/:assetId/download/",
    calls: (w) => w.assets.map((a) => get(`${v(w)}/assets/${a}/download/`)),
    kind: dandisetRoute(302),
  },
  {
    route: "GET /api/webdav/assets/atpath/",
    calls: (w) => [
      get(`/api/webdav/assets/atpath/?dandiset_id=${w.id}&version_id=draft&children=true&metadata=true`),
      get(`/api/webdav/assets/atpath/?dandiset_id=${w.id}&version_id=draft&path=sub-${w.tag}&children=true`),
    ],
    // DANDI answers 403 to anonymous callers here too.
    kind: { private: { ok: 200, anonymous: 403, approved: 403 } },
  },
  // Assets by id: every asset of the dandiset, the one on a shareable open blob included.
  {
    route: "GET /api/assets/:assetId/",
    calls: (w) => w.assets.map((a) => get(`/api/assets/${a}/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/assets/:assetId/info/",
    calls: (w) => w.assets.map((a) => get(`/api/assets/${a}/info/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/assets/:assetId/downloads/",
    calls: (w) => w.assets.map((a) => get(`/api/assets/${a}/downloads/`)),
    kind: dandisetRoute(),
  },
  {
    route: "GET /api/assets/:assetId/download/",
    calls: (w) => w.assets.map((a) => get(`/api/assets/${a}/download/`)),
    kind: dandisetRoute(302),
  },
  // Zarrs: a zarr the caller may not see is a 404, as DANDI's queryset.
  {
    route: "GET /api/zarr/:zarrId/",
    calls: (w) => [get(`/api/zarr/${w.zarrId}/`)],
    kind: { private: { ok: 200, anonymous: 404, approved: 404 } },
  },
  {
    route: "GET /api/zarr/:zarrId/files/",
    calls: (w) => [get(`/api/zarr/${w.zarrId}/files/`)],
    kind: { private: { ok: 200, anonymous: 404, approved: 404 } },
  },
  {
    route: "HEAD /api/zarr/:zarrId/files/",
    calls: (w) => [request(app).head(`/api/zarr/${w.zarrId}/files/?prefix=0/0`)],
    kind: { private: { ok: 302, anonymous: 404, approved: 404 } },
  },
  // Read-only access: managed by owners only.
  {
    // The caller's own standing: an identifier and whether it is embargoed, nothing else.
    route: "GET /api/dandisets/:dandisetId/access/",
    calls: (w) => [get(`${d(w)}/access/`)],
    kind: { global: "the caller's standing" },
  },
  { route: "GET /api/dandisets/:dandisetId/viewers/", calls: (w) => [get(`${d(w)}/viewers/`)], kind: ownerRoute },
  {
    route: "GET /api/dandisets/:dandisetId/viewer-invitations/",
    calls: (w) => [get(`${d(w)}/viewer-invitations/`)],
    kind: ownerRoute,
  },
  {
    route: "GET /api/dandisets/:dandisetId/review-links/",
    calls: (w) => [get(`${d(w)}/review-links/`)],
    kind: ownerRoute,
  },
  {
    route: "GET /api/dandisets/:dandisetId/access-requests/",
    calls: (w) => [get(`${d(w)}/access-requests/`)],
    kind: ownerRoute,
  },
  // Lists and search.
  {
    route: "GET /api/dandisets/",
    calls: (w, actor) => [
      get(`/api/dandisets/?draft=true&empty=true&search=${encodeURIComponent(w.name)}`),
      ...(!hasUser(actor) ? [] : [get(`/api/dandisets/?embargoed=true&draft=true&empty=true&page_size=1000`)]),
    ],
    kind: { list: { shows: true } },
  },
  {
    route: "GET /api/dandisets/search/",
    calls: (w, actor) => [
      get(`/api/dandisets/search/?draft=true&empty=true${!hasUser(actor) ? "" : "&embargoed=true"}`),
      get(`/api/dandisets/search/?genotype=genotype-${w.tag}&embargoed=${hasUser(actor)}`),
    ],
    kind: { list: { shows: true } },
  },
  {
    route: "GET /api/search/genotypes/",
    calls: (w) => [get(`/api/search/genotypes/?genotype=genotype-${w.tag}`)],
    kind: { list: { shows: true } },
  },
  {
    route: "GET /api/search/species/",
    calls: (w) => [get(`/api/search/species/?species=${encodeURIComponent(`Species ${w.tag}`)}`)],
    kind: { list: { shows: true } },
  },
  {
    route: "GET /api/zarr/",
    calls: (w) => [get(`/api/zarr/`), get(`/api/zarr/?dandiset=${w.id}`)],
    kind: { list: { shows: true } },
  },
  {
    route: "GET /api/users/search/",
    calls: () => [get(`/api/users/search/?username=a`), get(`/api/users/search/?username=lab`)],
    kind: { list: { shows: false } },
  },
  { route: "GET /api/stats/", calls: () => [get("/api/stats/")], kind: { list: { shows: false } } },
  // Admin and staff views (admins see everything; the others are refused).
  { route: "GET /api/admin/users/", calls: () => [get("/api/admin/users/")], kind: { global: "admins only" } },
  { route: "GET /api/admin/audit/", calls: () => [get("/api/admin/audit/")], kind: { global: "admins only" } },
  {
    route: "GET /api/admin/users/:username/dandisets/",
    calls: () => [get(`/api/admin/users/${users.owner.user.username}/dandisets/`)],
    kind: { global: "admins only" },
  },
  {
    route: "GET /api/admin/jobs/failed/",
    calls: () => [get("/api/admin/jobs/failed/")],
    kind: { global: "admins only" },
  },
  {
    route: "GET /api/audit/events/asset",
    calls: () => [get("/api/audit/events/asset")],
    kind: { global: "staff only" },
  },
  { route: "GET /api/users/", calls: () => [get("/api/users/")], kind: { global: "staff only" } },
  // Not about any dandiset.
  { route: "GET /api/info/", calls: () => [get("/api/info/")], kind: { global: "server info" } },
  { route: "GET /api/schemas/available/", calls: () => [get("/api/schemas/available/")], kind: { global: "schemas" } },
  { route: "GET /api/schemas/", calls: () => [get("/api/schemas/?model=Dandiset")], kind: { global: "schemas" } },
  { route: "GET /api/openapi.json", calls: () => [get("/api/openapi.json")], kind: { global: "API document" } },
  { route: "GET /api/users/me/", calls: () => [get("/api/users/me/")], kind: { global: "the caller" } },
  { route: "GET /api/auth/token/", calls: () => [get("/api/auth/token/")], kind: { global: "the caller's key" } },
  { route: "GET /api/auth/providers/", calls: () => [get("/api/auth/providers/")], kind: { global: "sign-in" } },
  { route: "GET /api/auth/github/login/", calls: () => [get("/api/auth/github/login/")], kind: { global: "sign-in" } },
  {
    route: "GET /api/auth/github/callback/",
    calls: () => [get("/api/auth/github/callback/")],
    kind: { global: "sign-in" },
  },
  { route: "GET /api/users/questionnaire/", calls: () => [get("/api/users/questionnaire/")], kind: { global: "form" } },
  {
    route: "GET /api/users/questionnaire-form/",
    calls: () => [get("/api/users/questionnaire-form/")],
    kind: { global: "form" },
  },
  {
    route: "GET /api/dandisets/:dandisetId/versions/:version/landing/",
    calls: (w) => [get(`${v(w)}/landing/`)],
    kind: { crawler: { status: { open: 200, hidden: 404 }, shows: true } },
  },
  { route: "GET /api/sitemap.xml", calls: () => [get("/api/sitemap.xml")], kind: { crawler: {} } },
  {
    route: "GET /api/oai/",
    calls: () => [get("/api/oai/?verb=ListSets"), get("/api/oai/?verb=ListRecords&metadataPrefix=oai_dc")],
    kind: { crawler: {} },
  },
  { route: "GET /", calls: () => [get("/")], kind: { global: "landing page" } },
  { route: "GET /robots.txt", calls: () => [get("/robots.txt")], kind: { global: "robots" } },
  { route: "GET /server-info", calls: () => [get("/server-info")], kind: { global: "server info" } },
  { route: "GET /swagger", calls: () => [get("/swagger")], kind: { global: "redirect" } },
  {
    // Unsigned reads of stored objects: only objects that are not tagged embargoed (S3's bucket policy).
    route: "GET /storage/objects/*key",
    calls: (w) => w.blobs.map((b) => get(`/storage/objects/${b.key}`)),
    kind: { global: "unsigned storage reads" },
  },
  {
    route: "GET /api/health/live,/live/",
    calls: () => [get("/api/health/live")],
    kind: { global: "probe" },
    optional: true,
  },
  {
    route: "GET /api/health/ready,/ready/",
    calls: () => [get("/api/health/ready")],
    kind: { global: "probe" },
    optional: true,
  },
  {
    // Opening a valid link: a redirect to the web app's page for everyone (the page is what the policy
    // guards). Last: it adds the link to the revoked and expired holders' sessions too.
    route: "GET /api/review/:token/",
    calls: (w) => [get(`/api/review/${w.reviewToken}/`)],
    kind: { global: "opens a review link" },
  },
];

/** The response as text: status line, headers a client reads, body. */
function responseText(res: request.Response): string {
  return [res.headers.location ?? "", res.headers["content-disposition"] ?? "", res.text ?? ""].join("\n");
}

describe("embargo read matrix", () => {
  for (const status of ["EMBARGOED", "UNEMBARGOING", "OPEN"] as const) {
    it.each(CASES.map((c) => [c.route, c] as const))(`${status}: %s`, async (_route, c) => {
      const w = WORLDS[status];
      const problems: string[] = [];
      const others = (actor: TActor) =>
        EMAILS.filter((e) => !hasUser(actor) || e !== users[actor as TUserActor].user.email);
      for (const actor of ACTORS) {
        const denied = status !== "OPEN" && DENIED.includes(actor);
        const texts: string[] = [];
        for (const call of c.calls(w, actor)) {
          const res = await call.set(auth(actor, w));
          const text = responseText(res);
          texts.push(text);
          if ("private" in c.kind) {
            const p = c.kind.private;
            // Holders of a revoked or expired link are anonymous callers.
            const as = actor === "revoked" || actor === "expired" ? "anonymous" : actor;
            const want =
              as === "viewer" && p.viewer !== undefined
                ? p.viewer
                : as === "reviewer" && p.reviewer !== undefined
                  ? p.reviewer
                  : status === "OPEN"
                    ? as === "anonymous"
                      ? (p.openAnonymous ?? p.ok)
                      : as === "approved"
                        ? (p.openApproved ?? p.ok)
                        : p.ok
                    : as === "anonymous"
                      ? p.anonymous
                      : as === "approved"
                        ? p.approved
                        : p.ok;
            if (res.status !== want) problems.push(`${actor}: ${res.status} (want ${want}) ${res.text.slice(0, 120)}`);
          }
          if ("crawler" in c.kind) {
            const want = c.kind.crawler.status?.[status === "OPEN" ? "open" : "hidden"];
            if (want !== undefined && res.status !== want) problems.push(`${actor}: ${res.status} (want ${want})`);
          }
          if (denied || ("crawler" in c.kind && status !== "OPEN")) {
            const leaked = w.markers.filter((m) => text.includes(m));
            if (leaked.length) problems.push(`${actor} sees ${leaked.join(", ")}`);
          }
          if (actor !== "owner" && actor !== "admin") {
            const emails = others(actor).filter((e) => text.toLowerCase().includes(e.toLowerCase()));
            if (emails.length) problems.push(`${actor} sees e-mail ${emails.join(", ")}`);
          }
        }
        if ("crawler" in c.kind && c.kind.crawler.shows && status === "OPEN") {
          if (!texts.some((t) => w.markers.some((m) => t.includes(m)))) problems.push(`${actor} does not see it`);
        }
        const findsIt = actor === "owner" || actor === "admin" || (actor === "viewer" && status !== "OPEN");
        if ("list" in c.kind && c.kind.list.shows && findsIt && !c.hiddenFromViewers) {
          // Owners and admins do find the dandiset (else the no-leak check proves nothing).
          if (!texts.some((t) => w.markers.some((m) => t.includes(m)))) problems.push(`${actor} does not see it`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("covers every GET and HEAD route the app registers", () => {
    const found = registeredRoutes(ctx.app).map((r) => `${r.method} ${r.prefix}${String(r.path)}`);
    const reads = [...new Set(found.filter((r) => /^(GET|HEAD|_ALL) /.test(r)))].sort();
    const covered = new Set(CASES.map((c) => c.route));
    expect(reads.filter((r) => !covered.has(r))).toEqual([]);
    expect(
      CASES.filter((c) => !c.optional && !reads.includes(c.route))
        .map((c) => c.route)
        .sort(),
    ).toEqual([]);
  });
});
