import { Router } from "express";
import { z } from "zod";
import { json, OPTIONAL_AUTH, registry } from "../../openapi";
import { checkReadiness } from "./check-readiness";

const ZChecksSchema = z.record(z.string(), z.string());

registry.registerPath({
  method: "get",
  path: "/api/health/live/",
  summary: "Liveness: the process is up",
  security: OPTIONAL_AUTH,
  responses: { 200: json("Up", z.object({ status: z.literal("ok") })) },
});
registry.registerPath({
  method: "get",
  path: "/api/health/ready/",
  summary: "Readiness: PostgreSQL, Redis and storage answer, every migration applied",
  security: OPTIONAL_AUTH,
  responses: {
    200: json("Ready", z.object({ status: z.literal("ok"), checks: ZChecksSchema })),
    503: json(
      "Not ready: the failed dependencies",
      z.object({ detail: z.string(), status: z.literal("unavailable"), checks: ZChecksSchema }),
    ),
  },
});

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
