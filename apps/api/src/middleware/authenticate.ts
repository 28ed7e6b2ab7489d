import type { NextFunction, Request, Response } from "express";
import { ApiError, findUserByApiKey } from "@dandi/core";
import { hasSessionCookie, loadSession } from "./session";
import { assertSessionRequestAllowed } from "./session-csrf";

/**
 * Reads `Authorization: token <key>` (keyword matched case-insensitively, as DRF).
 * A bad key is a 401; no header leaves the request anonymous.
 * Without the header, the browser session cookie is accepted instead; unsafe
 * requests authenticated that way must pass the CSRF check.
 */
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  const header = req.get("authorization");
  if (header) {
    const match = /^token\s+(\S+)\s*$/i.exec(header);
    if (!match) throw ApiError.detail(401, "Invalid token header.");
    const key = match[1]!;
    const user = await findUserByApiKey(req.deps.prisma, key);
    if (!user) throw ApiError.detail(401, "Invalid token.");
    if (!user.isActive) throw ApiError.detail(401, "User inactive or deleted.");
    req.user = user;
    req.auth = { method: "token", key };
  } else if (hasSessionCookie(req)) {
    await loadSession(req, res);
    const userId = req.session.userId;
    if (userId !== undefined) {
      const user = await req.deps.prisma.user.findUnique({ where: { id: userId } });
      if (user?.isActive) {
        req.user = user;
        req.auth = { method: "session" };
        assertSessionRequestAllowed(req);
      } else {
        // Deactivated (e.g. rejected) or deleted since sign-in: the session ends.
        delete req.session.userId;
      }
    }
  }
  res.setHeader("X-Request-Username", req.user?.username ?? "AnonymousUser");
  next();
}
