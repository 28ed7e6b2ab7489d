import type { NextFunction, Request, Response } from "express";
import { ApiError, findUserByApiKey, loadReadGrants, reviewLinkActor } from "@dandi/core";
import { hasSessionCookie, loadSessionUnlessDown } from "./session";
import { assertSessionRequestAllowed } from "./session-csrf";

/**
 * DRF TokenAuthentication's reading of the Authorization header: the API key
 * when the first word is `token` (any case), undefined for any other scheme
 * (DRF leaves such a request to the other authenticators). A `token` header
 * without exactly one key is a 401 with DRF's messages.
 */
function readTokenHeader(header: string | undefined): string | undefined {
  const words = (header ?? "").split(/\s+/).filter(Boolean);
  if (words.length === 0 || words[0]!.toLowerCase() !== "token") return undefined;
  if (words.length === 1) throw ApiError.unauthenticated("Invalid token header. No credentials provided.");
  if (words.length > 2) throw ApiError.unauthenticated("Invalid token header. Token string should not contain spaces.");
  return words[1];
}

/**
 * The read-only grants of a browser session: the user's viewer grants and the review links the
 * session holds that are still valid (revoked or expired ones are dropped from the session).
 * An anonymous session with valid links reads as the review-link actor.
 */
async function attachReadGrants(req: Request, reviewLinks: number[] | undefined): Promise<void> {
  if (!req.user && !reviewLinks?.length) return;
  const grants = await loadReadGrants(req.deps.prisma, { userId: req.user?.id, reviewLinkIds: reviewLinks });
  if (reviewLinks?.length && grants.validLinkIds.length !== reviewLinks.length) {
    req.session.reviewLinks = grants.validLinkIds;
  }
  if (req.user) {
    req.user.viewerOf = grants.viewerOf;
    req.reader = req.user;
  } else if (grants.viewerOf.length) {
    req.reader = reviewLinkActor(grants.viewerOf);
  }
}

/**
 * Reads `Authorization: token <key>` (keyword matched case-insensitively, as DRF).
 * A bad key is a 401; no header (or another scheme) leaves the request anonymous.
 * Without a key, the browser session cookie is accepted instead; unsafe
 * requests authenticated that way must pass the CSRF check. Token requests never touch Redis.
 */
export async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
  const key = readTokenHeader(req.get("authorization"));
  if (key !== undefined) {
    const user = await findUserByApiKey(req.deps.prisma, key);
    if (!user) throw ApiError.unauthenticated("Invalid token.");
    if (!user.isActive) throw ApiError.unauthenticated("User inactive or deleted.");
    const { viewerOf } = await loadReadGrants(req.deps.prisma, { userId: user.id });
    req.user = Object.assign(user, { viewerOf });
    req.auth = { method: "token", key };
    req.reader = req.user;
  } else if (hasSessionCookie(req) && (await loadSessionUnlessDown(req, res))) {
    // (While Redis is down a read with a session cookie is anonymous, a write a 503.)
    const userId = req.session.userId;
    const reviewLinks = req.session.reviewLinks;
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
    await attachReadGrants(req, reviewLinks);
  }
  res.setHeader("X-Request-Username", req.user?.username ?? "AnonymousUser");
  next();
}
