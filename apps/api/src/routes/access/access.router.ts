import { Router, type Request } from "express";
import { z } from "zod";
import {
  ApiError,
  addDandisetViewer,
  buildAccessDecisionMessage,
  buildAccessRequestMessage,
  buildViewerAddedMessage,
  buildViewerInvitationMessage,
  canManageAccess,
  canReadDandiset,
  canRequestAccess,
  cancelViewerInvitation,
  createAccessRequest,
  createReviewLink,
  decideAccessRequest,
  findOwnAccessRequest,
  findValidReviewLink,
  formatDandisetIdentifier,
  hasReadGrant,
  isAdmin,
  isOwner,
  listAccessRequests,
  listDandisetViewers,
  listReviewLinks,
  listViewerInvitations,
  removeDandisetViewer,
  revokeReviewLink,
  type TMailMessage,
} from "@dandi/core";
import { json, jsonBody, pageOf, registry } from "../../openapi";
import { buildPage, readPageParams } from "../../lib/pagination";
import { parseOrThrow } from "../../lib/validate";
import { formatTimestamp } from "../../lib/time";
import { loadSession } from "../../middleware/session";
import { findDandiset, type TDandisetWithOwners } from "../dandisets/dandiset-access";
import {
  ZAccessRequestSchema,
  ZAddViewerBody,
  ZCreateAccessRequestBody,
  ZCreateReviewLinkBody,
  ZCreatedReviewLinkSchema,
  ZDandisetAccessSchema,
  ZInvitationSchema,
  ZListAccessRequestsQuery,
  ZPageQuery,
  ZReviewLinkSchema,
  ZViewerGrantSchema,
  ZViewerSchema,
} from "./access.schemas";
import { presentAccessRequest, presentInvitation, presentReviewLink, presentViewer } from "./access.presenter";

const base = "/api/dandisets/{dandisetId}/";
const ID = (description: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/)
    .openapi({ description });
const USERNAME = z.string().min(1);
/** A review link's secret token (43 characters, base64url). */
const TOKEN = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/)
  .openapi({ description: "The review link's secret token" });
const conflict = { description: "Conflicts with the current state" };

registry.registerPath({
  method: "get",
  path: `${base}access/`,
  summary: "The caller's access to a dandiset (role, whether they may ask for access, their latest request)",
  responses: { 200: json("DandisetAccess", ZDandisetAccessSchema) },
});
registry.registerPath({
  method: "get",
  path: `${base}viewers/`,
  summary: "Viewers of a dandiset (owners only)",
  request: { query: ZPageQuery },
  responses: { 200: json("Paginated viewers", pageOf(ZViewerSchema)) },
});
registry.registerPath({
  method: "post",
  path: `${base}viewers/`,
  summary: "Give a user (by username) or an e-mail address (an invitation) read-only access",
  request: { body: jsonBody(ZAddViewerBody) },
  responses: { 200: json("Already granted", ZViewerGrantSchema), 201: json("Granted", ZViewerGrantSchema) },
});
registry.registerPath({
  method: "delete",
  path: `${base}viewers/{username}/`,
  summary: "Revoke a viewer's access",
  request: { params: z.object({ username: USERNAME }) },
  responses: { 204: { description: "Revoked" } },
});
registry.registerPath({
  method: "get",
  path: `${base}viewer-invitations/`,
  summary: "Open e-mailed invitations to view a dandiset (owners only)",
  request: { query: ZPageQuery },
  responses: { 200: json("Paginated invitations", pageOf(ZInvitationSchema)) },
});
registry.registerPath({
  method: "delete",
  path: `${base}viewer-invitations/{invitationId}/`,
  summary: "Withdraw an invitation",
  request: { params: z.object({ invitationId: ID("Invitation id") }) },
  responses: { 204: { description: "Withdrawn" } },
});
registry.registerPath({
  method: "get",
  path: `${base}review-links/`,
  summary: "Secret review links of a dandiset (owners only; the secrets are never shown again)",
  request: { query: ZPageQuery },
  responses: { 200: json("Paginated review links", pageOf(ZReviewLinkSchema)) },
});
registry.registerPath({
  method: "post",
  path: `${base}review-links/`,
  summary: "Create a secret, time-limited review link (anonymous read-only access to this dandiset)",
  request: { body: jsonBody(ZCreateReviewLinkBody) },
  responses: { 201: json("The link, with its secret URL (shown once)", ZCreatedReviewLinkSchema) },
});
registry.registerPath({
  method: "delete",
  path: `${base}review-links/{linkId}/`,
  summary: "Revoke a review link",
  request: { params: z.object({ linkId: ID("Review link id") }) },
  responses: { 204: { description: "Revoked" } },
});
registry.registerPath({
  method: "get",
  path: "/api/review/{token}/",
  summary: "Open a review link: grants this browser session read-only access, then redirects to the dandiset",
  request: { params: z.object({ token: TOKEN }) },
  responses: {
    302: { description: "To the dandiset's page in the web app" },
    503: { description: "Sessions unavailable" },
  },
});
registry.registerPath({
  method: "get",
  path: `${base}access-requests/`,
  summary: "Requests for access to a dandiset (owners only)",
  request: { query: ZListAccessRequestsQuery },
  responses: { 200: json("Paginated access requests", pageOf(ZAccessRequestSchema)) },
});
registry.registerPath({
  method: "post",
  path: `${base}access-requests/`,
  summary: "Ask the owners for read-only access, with a message",
  request: { body: jsonBody(ZCreateAccessRequestBody) },
  responses: {
    201: json("The request", ZAccessRequestSchema),
    409: conflict,
    429: { description: "Too many requests today" },
  },
});
for (const decision of ["approve", "decline"] as const) {
  registry.registerPath({
    method: "post",
    path: `${base}access-requests/{requestId}/${decision}/`,
    summary: decision === "approve" ? "Approve a request (the requester becomes a viewer)" : "Decline a request",
    request: { params: z.object({ requestId: ID("Access request id") }) },
    responses: { 200: json("The request", ZAccessRequestSchema), 409: conflict },
  });
}

/** The dandiset of the URL, for its owners (and superusers) only: 401 anonymous, 403 anyone else. */
async function findManagedDandiset(req: Request): Promise<TDandisetWithOwners> {
  const dandiset = await findDandiset(req);
  if (!req.user) throw ApiError.unauthenticated();
  if (!canManageAccess(req.user, dandiset.ownerIds)) throw ApiError.forbidden();
  return dandiset;
}

function readIdParam(req: Request, name: string): number {
  const raw = String(req.params[name] ?? "");
  if (!/^\d{1,9}$/.test(raw)) throw ApiError.notFound();
  return Number(raw);
}

async function draftName(req: Request, dandisetId: number): Promise<string> {
  const draft = await req.deps.prisma.version.findUnique({
    where: { dandisetId_version: { dandisetId, version: "draft" } },
    select: { name: true },
  });
  return draft?.name ?? "";
}

/** Sends after the write committed; the mailer logs failures and never rejects. */
function sendLater(req: Request, message: TMailMessage): void {
  void req.deps.mailer.send(message);
}

function mailContext(req: Request) {
  return { adminEmail: req.deps.mailer.adminEmail, webAppUrl: req.deps.config.DANDI_WEB_APP_URL };
}

async function usernamesById(req: Request, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((i): i is number => i !== null))];
  if (!wanted.length) return new Map();
  const users = await req.deps.prisma.user.findMany({
    where: { id: { in: wanted } },
    select: { id: true, username: true },
  });
  return new Map(users.map((u) => [u.id, u.username]));
}

/** Cap on review links one browser session holds (each is re-checked on every request). */
const MAX_SESSION_REVIEW_LINKS = 20;

/**
 * Read-only access to dandisets that are not open: viewers and e-mailed invitations, secret
 * review links, and access requests. Managing them is for owners (`canManageAccess`); what
 * they grant is read by the one read policy (`canReadDandiset` and its SQL form).
 */
export function accessRouter(): Router {
  const router = Router();

  router.get("/dandisets/:dandisetId/access/", async (req, res) => {
    const dandiset = await findDandiset(req);
    const target = { dandisetId: dandiset.id, embargoStatus: dandiset.embargoStatus };
    const reader = req.reader;
    const role = isAdmin(reader)
      ? "admin"
      : isOwner(reader, dandiset.ownerIds)
        ? "owner"
        : req.user?.viewerOf?.includes(dandiset.id)
          ? "viewer"
          : hasReadGrant(reader, dandiset.id)
            ? "reviewer"
            : null;
    const own = req.user
      ? await findOwnAccessRequest(req.deps.prisma, { dandisetId: dandiset.id, userId: req.user.id })
      : null;
    res.json({
      identifier: formatDandisetIdentifier(dandiset.id),
      embargoed: dandiset.embargoStatus !== "OPEN",
      can_read: canReadDandiset(reader, target, dandiset.ownerIds),
      role,
      can_manage: canManageAccess(req.user, dandiset.ownerIds),
      can_request: canRequestAccess(req.user, target, dandiset.ownerIds) && own?.status !== "PENDING",
      request: own
        ? {
            id: own.id,
            status: own.status as "PENDING" | "APPROVED" | "DECLINED",
            created: formatTimestamp(own.created),
            decided: own.decided ? formatTimestamp(own.decided) : null,
          }
        : null,
    });
  });

  // Viewers and invitations.
  router.get("/dandisets/:dandisetId/viewers/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const page = readPageParams(req);
    const { count, rows } = await listDandisetViewers(req.deps.prisma, {
      dandisetId: dandiset.id,
      offset: page.offset,
      limit: page.pageSize,
    });
    const names = await usernamesById(
      req,
      rows.map((r) => r.grantedById),
    );
    res.json(
      buildPage(
        req,
        page,
        count,
        rows.map((r) => presentViewer(r, names.get(r.grantedById ?? -1) ?? null)),
      ),
    );
  });

  router.post("/dandisets/:dandisetId/viewers/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const body = parseOrThrow(ZAddViewerBody, req.body);
    const grant = await addDandisetViewer({ db: req.deps.prisma, actor: req.user!, dandisetId: dandiset.id, ...body });
    const identifier = formatDandisetIdentifier(dandiset.id);
    if (grant.created) {
      sendLater(
        req,
        grant.kind === "viewer"
          ? buildViewerAddedMessage(
              grant.user,
              { identifier, name: await draftName(req, dandiset.id) },
              mailContext(req),
            )
          : buildViewerInvitationMessage(grant.email, req.user!, { identifier }, mailContext(req)),
      );
    }
    let viewer = null;
    let invitation = null;
    if (grant.kind === "viewer") {
      const row = await req.deps.prisma.dandisetViewer.findUniqueOrThrow({
        where: { dandisetId_userId: { dandisetId: dandiset.id, userId: grant.user.id } },
        include: { user: true },
      });
      const names = await usernamesById(req, [row.grantedById]);
      viewer = presentViewer(row, names.get(row.grantedById ?? -1) ?? null);
    } else {
      invitation = presentInvitation(
        await req.deps.prisma.viewerInvitation.findUniqueOrThrow({ where: { id: grant.id } }),
      );
    }
    res.status(grant.created ? 201 : 200).json({ kind: grant.kind, viewer, invitation });
  });

  router.delete("/dandisets/:dandisetId/viewers/:username/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    await removeDandisetViewer({
      db: req.deps.prisma,
      actor: req.user!,
      dandisetId: dandiset.id,
      username: String(req.params.username),
    });
    res.status(204).end();
  });

  router.get("/dandisets/:dandisetId/viewer-invitations/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const page = readPageParams(req);
    const { count, rows } = await listViewerInvitations(req.deps.prisma, {
      dandisetId: dandiset.id,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(buildPage(req, page, count, rows.map(presentInvitation)));
  });

  router.delete("/dandisets/:dandisetId/viewer-invitations/:invitationId/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const invitationId = readIdParam(req, "invitationId");
    await cancelViewerInvitation({ db: req.deps.prisma, actor: req.user!, dandisetId: dandiset.id, invitationId });
    res.status(204).end();
  });

  // Review links.
  router.get("/dandisets/:dandisetId/review-links/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const page = readPageParams(req);
    const { count, rows } = await listReviewLinks(req.deps.prisma, {
      dandisetId: dandiset.id,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(
      buildPage(
        req,
        page,
        count,
        rows.map((r) => presentReviewLink(r)),
      ),
    );
  });

  router.post("/dandisets/:dandisetId/review-links/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const body = parseOrThrow(ZCreateReviewLinkBody, req.body);
    const { link, token } = await createReviewLink({
      db: req.deps.prisma,
      actor: req.user!,
      dandisetId: dandiset.id,
      days: body.expires_in_days,
      label: body.label,
    });
    const url = `${req.deps.config.DANDI_API_URL.replace(/\/+$/, "")}/api/review/${token}/`;
    res.status(201).json({ ...presentReviewLink(link), url });
  });

  router.delete("/dandisets/:dandisetId/review-links/:linkId/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const linkId = readIdParam(req, "linkId");
    await revokeReviewLink({ db: req.deps.prisma, actor: req.user!, dandisetId: dandiset.id, linkId });
    res.status(204).end();
  });

  router.get("/review/:token/", async (req, res) => {
    const link = await findValidReviewLink(req.deps.prisma, String(req.params.token));
    if (!link) throw ApiError.notFound("This review link is not valid: it may have expired or been revoked.");
    await loadSession(req, res);
    const held = (req.session.reviewLinks ?? []).filter((id) => id !== link.id);
    req.session.reviewLinks = [...held.slice(-(MAX_SESSION_REVIEW_LINKS - 1)), link.id];
    await new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.redirect(302, `${req.deps.config.DANDI_WEB_APP_URL}/dandiset/${formatDandisetIdentifier(link.dandisetId)}`);
  });

  // Access requests.
  router.get("/dandisets/:dandisetId/access-requests/", async (req, res) => {
    const dandiset = await findManagedDandiset(req);
    const query = parseOrThrow(ZListAccessRequestsQuery, req.query);
    const page = readPageParams(req);
    const { count, rows } = await listAccessRequests(req.deps.prisma, {
      dandisetId: dandiset.id,
      status: query.status,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(buildPage(req, page, count, rows.map(presentAccessRequest)));
  });

  router.post("/dandisets/:dandisetId/access-requests/", async (req, res) => {
    const dandiset = await findDandiset(req);
    if (!req.user) throw ApiError.unauthenticated();
    const target = { dandisetId: dandiset.id, embargoStatus: dandiset.embargoStatus };
    if (!canRequestAccess(req.user, target, dandiset.ownerIds)) {
      throw ApiError.detail(400, "You can see this dandiset already.");
    }
    const body = parseOrThrow(ZCreateAccessRequestBody, req.body);
    const request = await createAccessRequest({
      db: req.deps.prisma,
      user: req.user,
      dandisetId: dandiset.id,
      message: body.message,
    });
    const owners = await req.deps.prisma.user.findMany({
      where: { id: { in: dandiset.ownerIds }, isActive: true },
    });
    sendLater(
      req,
      buildAccessRequestMessage(
        owners,
        req.user,
        request.message,
        { identifier: formatDandisetIdentifier(dandiset.id), name: await draftName(req, dandiset.id) },
        mailContext(req),
      ),
    );
    res.status(201).json(presentAccessRequest({ ...request, user: req.user }));
  });

  for (const decision of ["approve", "decline"] as const) {
    router.post(`/dandisets/:dandisetId/access-requests/:requestId/${decision}/`, async (req, res) => {
      const dandiset = await findManagedDandiset(req);
      const requestId = readIdParam(req, "requestId");
      const decided = await decideAccessRequest({
        db: req.deps.prisma,
        actor: req.user!,
        dandisetId: dandiset.id,
        requestId,
        approve: decision === "approve",
      });
      sendLater(
        req,
        buildAccessDecisionMessage(
          decided.user,
          decision === "approve",
          { identifier: formatDandisetIdentifier(dandiset.id), name: await draftName(req, dandiset.id) },
          mailContext(req),
        ),
      );
      res.json(presentAccessRequest(decided));
    });
  }

  return router;
}
