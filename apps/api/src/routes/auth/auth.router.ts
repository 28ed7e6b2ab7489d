import { Router, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import type { User } from "@dandi/db";
import { ApiError, authenticateWithPassword, claimViewerInvitations } from "@dandi/core";
import { json, jsonBody, OPTIONAL_AUTH, registry } from "../../openapi";
import { ZUserSchema } from "../users/users.schemas";
import { parseOrThrow } from "../../lib/validate";
import { endUserSession, startUserSession, withSession } from "../../middleware/session";
import { assertSessionRequestAllowed } from "../../middleware/session-csrf";
import { githubPassport, isGithubConfigured } from "./github-passport";
import { loginRateLimits } from "./login-rate-limit";
import { presentProviders, presentSignedInUser } from "./auth.presenter";
import { safeNextUrl } from "./safe-next";

const ZLoginBody = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(1024),
});
const ZGithubLoginQuery = z.object({ next: z.string().optional() });

/** Deliberately the same for an unknown e-mail, a wrong password and an inactive account. */
const LOGIN_FAILED = "Unable to sign in with the provided e-mail and password.";

registry.registerPath({
  method: "get",
  path: "/api/auth/providers/",
  summary: "Configured sign-in methods",
  responses: { 200: json("{github, password}", z.object({ github: z.boolean(), password: z.boolean() })) },
});
registry.registerPath({
  method: "post",
  path: "/api/auth/login/",
  summary: "E-mail + password sign-in (starts a browser session)",
  security: OPTIONAL_AUTH,
  request: { body: jsonBody(ZLoginBody) },
  responses: {
    200: json("The signed-in user", ZUserSchema),
    400: { description: "Bad credentials" },
    429: { description: "Too many attempts" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/auth/logout/",
  summary: "Ends the browser session",
  security: OPTIONAL_AUTH,
  responses: { 204: { description: "Signed out" } },
});
registry.registerPath({
  method: "get",
  path: "/api/auth/github/login/",
  summary: "Starts GitHub sign-in (redirects to GitHub)",
  request: { query: ZGithubLoginQuery },
  responses: { 302: { description: "To GitHub" }, 404: { description: "GitHub sign-in is not configured" } },
});
registry.registerPath({
  method: "get",
  path: "/api/auth/github/callback/",
  summary: "GitHub OAuth callback",
  responses: { 302: { description: "To the web app" } },
});

/** Runs the per-IP and per-e-mail limiters, which are built once per app from its config. */
function rateLimitLogin(req: Request, res: Response, next: NextFunction): void {
  const [byIp, byEmail] = loginRateLimits(req.deps);
  void byIp!(req, res, (err?: unknown) => (err ? next(err) : void byEmail!(req, res, next)));
}

function requireGithub(req: Request, _res: Response, next: NextFunction): void {
  if (!isGithubConfigured(req.deps)) throw ApiError.notFound("GitHub sign-in is not configured.");
  next();
}

/** Sign-in and sign-out: GitHub OAuth, e-mail + password, and the browser session. */
export function authRouter(): Router {
  const router = Router();

  router.get("/auth/providers/", (req, res) => {
    res.json(presentProviders(isGithubConfigured(req.deps)));
  });

  router.post("/auth/login/", rateLimitLogin, withSession, async (req, res) => {
    // Login CSRF: a foreign site must not sign a victim into the attacker's account.
    assertSessionRequestAllowed(req);
    const { email, password } = parseOrThrow(ZLoginBody, req.body);
    const user = await authenticateWithPassword({ db: req.deps.prisma, email, password });
    if (!user) throw ApiError.detail(400, LOGIN_FAILED);
    // Invitations e-mailed to this address become viewer grants.
    await claimViewerInvitations(req.deps.prisma, user);
    await startUserSession(req, user.id);
    res.json(presentSignedInUser(user));
  });

  router.post("/auth/logout/", withSession, async (req, res) => {
    await endUserSession(req, res);
    res.status(204).end();
  });

  router.get("/auth/github/login/", requireGithub, withSession, (req, res, next) => {
    const { next: nextUrl } = parseOrThrow(ZGithubLoginQuery, req.query);
    req.session.next = safeNextUrl(nextUrl, req.deps.config.DANDI_WEB_APP_URL);
    githubPassport(req.deps).authenticate("github", { session: false })(req, res, next);
  });

  router.get("/auth/github/callback/", requireGithub, withSession, (req, res, next) => {
    const callback = (err: unknown, user: User | false, info?: { message?: string }) => {
      if (err || !user) {
        req.log?.warn({ err, info }, "GitHub sign-in failed");
        return next(
          ApiError.detail(400, `GitHub sign-in failed: ${info?.message ?? "the authorization was not completed."}`),
        );
      }
      const web = req.deps.config.DANDI_WEB_APP_URL;
      const target = req.session.next ?? web;
      claimViewerInvitations(req.deps.prisma, user)
        .then(() => startUserSession(req, user.id))
        .then(() => {
          // A new (INCOMPLETE) user answers the questionnaire first, then continues.
          if (user.status === "INCOMPLETE" && !user.isSuperuser) {
            res.redirect(302, `${web}/questionnaire?next=${encodeURIComponent(target)}`);
          } else {
            res.redirect(302, target);
          }
        }, next);
    };
    githubPassport(req.deps).authenticate("github", { session: false }, callback)(req, res, next);
  });

  return router;
}
