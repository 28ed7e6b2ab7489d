import { Router } from "express";
import { z } from "zod";
import { ApiError, canListUsers, canSearchUsers, listUserLogins, searchUsers } from "@dandi/core";
import { json, REQUIRED_AUTH, registry } from "../../openapi";
import { ZUserSchema } from "./users.schemas";
import { parseQueryBoolean } from "../../lib/validate";
import { presentUser } from "./users.presenter";

const ZUserSearchQuery = z.object({ username: z.string().optional() });
const ZUserListQuery = z.object({ approved_only: z.enum(["true", "false"]).optional() });

registry.registerPath({
  method: "get",
  path: "/api/users/me/",
  summary: "The authenticated user",
  security: REQUIRED_AUTH,
  responses: { 200: json("User", ZUserSchema), 401: { description: "Not authenticated" } },
});
registry.registerPath({
  method: "get",
  path: "/api/users/search/",
  summary: "Search approved users (at most 10)",
  security: REQUIRED_AUTH,
  request: { query: ZUserSearchQuery },
  responses: {
    200: json("Users", z.array(ZUserSchema)),
    401: { description: "Not authenticated" },
    403: { description: "Not approved" },
  },
});
registry.registerPath({
  method: "get",
  path: "/api/users/",
  summary: "Logins of every user (staff only)",
  security: REQUIRED_AUTH,
  request: { query: ZUserListQuery },
  responses: {
    200: json("Logins", z.array(z.string())),
    401: { description: "Not authenticated" },
    403: { description: "Not staff" },
  },
});

/** /api/users/: me, search and the staff list. */
export function usersRouter(): Router {
  const router = Router();
  router.get("/users/me/", (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    res.json(presentUser(req.user));
  });
  router.get("/users/search/", async (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    if (!canSearchUsers(req.user)) throw ApiError.forbidden();
    // DANDI answers [] for a missing or invalid query rather than a 400.
    const query = typeof req.query.username === "string" ? req.query.username : "";
    const users = await searchUsers(req.deps.prisma, { query });
    res.json(users.map(presentUser));
  });
  router.get("/users/", async (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    if (!canListUsers(req.user)) throw ApiError.forbidden();
    const approvedOnly = parseQueryBoolean(req.query.approved_only, "approved_only") ?? false;
    res.json(await listUserLogins(req.deps.prisma, { approvedOnly }));
  });
  return router;
}
