import { Router, type Request } from "express";
import { z } from "zod";
import type { Prisma } from "@dandi/db";
import {
  ApiError,
  buildApprovedMessage,
  buildRejectedMessage,
  canManageUsers,
  canViewAdmin,
  changeUserStatus,
  listDandisetsJson,
  readableDandisetSql,
  reloadTimestamps,
} from "@dandi/core";
import { json, jsonBody, pageOf, REQUIRED_AUTH, registry, ZJson, ZTimestamp } from "../../openapi";
import { ZAdminUserSchema } from "../users/users.schemas";
import { parseOrThrow } from "../../lib/validate";
import { buildPage, readPageParams } from "../../lib/pagination";
import { presentAdminUser, presentAuditRecord } from "./admin-users.presenter";
import { presentDandisetListPage } from "../dandisets/dandisets.presenter";
import { ZDandisetListItemSchema } from "../dandisets/dandisets.schemas";

const ZUsersQuery = z.object({
  status: z.enum(["INCOMPLETE", "PENDING", "APPROVED", "REJECTED"]).optional(),
  search: z.string().max(254).optional(),
});
const ZUsernameParams = z.object({ username: z.string() });
const ZRejectBody = z.object({ reason: z.string().trim().min(1, "This field may not be blank.").max(1000) });
const ZAuditQuery = z.object({
  dandiset: z
    .string()
    .regex(/^\d{1,6}$/, "A valid Dandiset identifier is required.")
    .optional(),
  record_type: z.string().max(64).optional(),
});

registry.registerPath({
  method: "get",
  path: "/api/admin/users/",
  summary: "Users, for review (staff read, superusers act)",
  security: REQUIRED_AUTH,
  request: { query: ZUsersQuery },
  responses: {
    200: json("Paginated users", pageOf(ZAdminUserSchema)),
    401: { description: "Anonymous" },
    403: { description: "Not staff" },
  },
});
registry.registerPath({
  method: "get",
  path: "/api/admin/users/{username}/dandisets/",
  summary: "The dandisets a user owns, newest change first (staff; embargoed ones as the caller may read them)",
  security: REQUIRED_AUTH,
  request: { params: ZUsernameParams },
  responses: {
    200: json("Paginated DandisetList items", pageOf(ZDandisetListItemSchema)),
    401: { description: "Anonymous" },
    403: { description: "Not staff" },
    404: { description: "No such user" },
  },
});
for (const action of ["approve", "reject"] as const) {
  registry.registerPath({
    method: "post",
    path: `/api/admin/users/{username}/${action}/`,
    summary: action === "approve" ? "Approves a user" : "Rejects a user (reason required)",
    request: {
      params: ZUsernameParams,
      ...(action === "reject" ? { body: jsonBody(ZRejectBody) } : {}),
    },
    responses: {
      200: json("The user", ZAdminUserSchema),
      403: { description: "Not a superuser" },
      404: { description: "No such user" },
    },
  });
}
registry.registerPath({
  method: "get",
  path: "/api/admin/audit/",
  summary: "Audit records, newest first",
  security: REQUIRED_AUTH,
  request: { query: ZAuditQuery },
  responses: {
    200: json(
      "Paginated audit records",
      pageOf(
        z.object({
          id: z.number().int(),
          dandiset_id: z.number().int(),
          timestamp: ZTimestamp,
          username: z.string(),
          user_email: z.string(),
          user_fullname: z.string(),
          record_type: z.string(),
          details: ZJson,
          admin: z.boolean(),
          description: z.string(),
        }),
      ),
    ),
  },
});

function requireStaff(req: Request): void {
  if (!req.user) throw ApiError.unauthenticated();
  if (!canViewAdmin(req.user)) throw ApiError.forbidden();
}

function requireSuperuser(req: Request) {
  if (!req.user) throw ApiError.unauthenticated();
  if (!canManageUsers(req.user)) throw ApiError.forbidden();
  return req.user;
}

/** The admin API: user review and the audit log. */
export function adminRouter(): Router {
  const router = Router();

  router.get("/admin/users/", async (req, res) => {
    requireStaff(req);
    const { status, search } = parseOrThrow(ZUsersQuery, req.query);
    const page = readPageParams(req);
    const q = search?.trim();
    const where: Prisma.UserWhereInput = {
      ...(status ? { status } : {}),
      ...(q
        ? {
            OR: ["username", "email", "firstName", "lastName", "githubLogin", "githubName"].map((field) => ({
              [field]: { contains: q, mode: "insensitive" },
            })),
          }
        : {}),
    };
    const [count, users] = await Promise.all([
      req.deps.prisma.user.count({ where }),
      req.deps.prisma.user.findMany({
        where,
        orderBy: [{ dateJoined: "desc" }, { id: "desc" }],
        skip: page.offset,
        take: page.pageSize,
      }),
    ]);
    const precise = await reloadTimestamps(req.deps.prisma, "users", users);
    res.json(buildPage(req, page, count, precise.map(presentAdminUser)));
  });

  router.get("/admin/users/:username/dandisets/", async (req, res) => {
    requireStaff(req);
    const { prisma } = req.deps;
    const owner = await prisma.user.findUnique({ where: { username: req.params.username } });
    if (!owner) throw ApiError.notFound();
    const page = readPageParams(req);
    // The owner's dandisets, drafts, empty and embargoed ones included, restricted to what the caller may read.
    const { count, resultsJson } = await listDandisetsJson({
      db: prisma,
      user: owner,
      draft: true,
      empty: true,
      embargoed: true,
      mine: true,
      starred: false,
      conditions: [readableDandisetSql(req.user)],
      ordering: { field: "modified", descending: true },
      offset: page.offset,
      limit: page.pageSize,
    });
    res.type("json").send(presentDandisetListPage(buildPage(req, page, count, []), resultsJson));
  });

  router.post("/admin/users/:username/approve/", async (req, res) => {
    const admin = requireSuperuser(req);
    const { prisma, mailer, config } = req.deps;
    const { user, changed } = await changeUserStatus({
      prisma,
      admin,
      username: req.params.username,
      status: "APPROVED",
    });
    if (changed)
      void mailer.send(
        buildApprovedMessage(user, { adminEmail: mailer.adminEmail, webAppUrl: config.DANDI_WEB_APP_URL }),
      );
    res.json(presentAdminUser((await reloadTimestamps(prisma, "users", [user]))[0]!));
  });

  router.post("/admin/users/:username/reject/", async (req, res) => {
    const admin = requireSuperuser(req);
    const { reason } = parseOrThrow(ZRejectBody, req.body ?? {});
    const { prisma, mailer, config } = req.deps;
    const { user, changed } = await changeUserStatus({
      prisma,
      admin,
      username: req.params.username,
      status: "REJECTED",
      reason,
    });
    if (changed) {
      void mailer.send(
        buildRejectedMessage(user, reason, { adminEmail: mailer.adminEmail, webAppUrl: config.DANDI_WEB_APP_URL }),
      );
    }
    res.json(presentAdminUser((await reloadTimestamps(prisma, "users", [user]))[0]!));
  });

  router.get("/admin/audit/", async (req, res) => {
    requireStaff(req);
    const { dandiset, record_type } = parseOrThrow(ZAuditQuery, req.query);
    const page = readPageParams(req);
    const where: Prisma.AuditRecordWhereInput = {
      ...(dandiset ? { dandisetId: Number(dandiset) } : {}),
      ...(record_type ? { recordType: record_type } : {}),
    };
    const [count, records] = await Promise.all([
      req.deps.prisma.auditRecord.count({ where }),
      req.deps.prisma.auditRecord.findMany({
        where,
        orderBy: [{ timestamp: "desc" }, { id: "desc" }],
        skip: page.offset,
        take: page.pageSize,
      }),
    ]);
    const precise = await reloadTimestamps(req.deps.prisma, "audit_records", records);
    res.json(buildPage(req, page, count, precise.map(presentAuditRecord)));
  });

  return router;
}
