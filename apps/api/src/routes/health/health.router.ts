import { Router } from "express";
import { checkReadiness } from "./check-readiness";

/**
 * Probes for load balancers and uptime checks, mounted before authentication and
 * sessions: unauthenticated, never sets a cookie, answers with or without the
 * trailing slash. `live`: the process is up. `ready`: PostgreSQL, Redis and
 * storage answer and every migration of this build is applied (else 503, naming
 * the failed dependencies).
 */
export function healthRouter(): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  router.get(["/live", "/live/"], (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get(["/ready", "/ready/"], async (req, res) => {
    const { ready, checks } = await checkReadiness(req.deps);
    if (ready) {
      res.json({ status: "ok", checks });
      return;
    }
    const failed = Object.entries(checks)
      .filter(([, state]) => state !== "ok")
      .map(([name, state]) => `${name} ${state}`);
    res.status(503).json({ detail: `Not ready: ${failed.join(", ")}.`, status: "unavailable", checks });
  });
  return router;
}
