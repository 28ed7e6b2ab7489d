import { Router, type Request } from "express";
import { ApiError, canUseApiKey, readApiKey, regenerateApiKey } from "@dandi/core";
import type { User } from "@dandi/db";
import { z } from "zod";
import { json, REQUIRED_AUTH, registry } from "../../openapi";

registry.registerPath({
  method: "get",
  path: "/api/auth/token/",
  summary: "The caller's API key (only when the request authenticated with it: keys are stored hashed)",
  security: REQUIRED_AUTH,
  responses: {
    200: json("The key, as a JSON string", z.string()),
    401: { description: "Not authenticated" },
    403: { description: "Not approved" },
    404: { description: "No key, or a key that can only be regenerated" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/auth/token/",
  summary: "Replace the caller's API key with a new one",
  responses: {
    200: json("The new key", z.string()),
    401: { description: "Not authenticated" },
    403: { description: "Not approved" },
  },
});

/** DANDI's key endpoints are for approved users and superusers only. */
function requireKeyUser(req: Request): User {
  if (!req.user) throw ApiError.unauthenticated();
  if (!canUseApiKey(req.user)) throw ApiError.forbidden();
  return req.user;
}

/** /api/auth/token/: read (validate) and regenerate the API key. */
export function authTokenRouter(): Router {
  const router = Router();
  router.get("/auth/token/", async (req, res) => {
    const user = requireKeyUser(req);
    const presentedKey = req.auth?.method === "token" ? req.auth.key : undefined;
    res.json(await readApiKey(req.deps.prisma, { user, presentedKey }));
  });
  router.post("/auth/token/", async (req, res) => {
    const user = requireKeyUser(req);
    res.json(await regenerateApiKey(req.deps.prisma, user.id));
  });
  return router;
}
