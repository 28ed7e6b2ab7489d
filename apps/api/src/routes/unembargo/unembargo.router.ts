import { Router } from "express";
import { z } from "zod";
import { ApiError, canUnembargo, startUnembargo } from "@dandi/core";
import { drainAfterCommit } from "../../lib/drain-after-commit";
import { registry } from "../../openapi";

registry.registerPath({
  method: "post",
  path: "/api/dandisets/{id}/unembargo/",
  summary: "Unembargoes a dandiset (owners); it is UNEMBARGOING until the work finishes",
  request: { params: z.object({ id: z.string().regex(/^\d{6}$/) }) },
  responses: {
    200: { description: "Started (no body)" },
    400: { description: "Not embargoed, or active uploads" },
    403: { description: "Not an owner" },
    404: { description: "No such dandiset" },
  },
});

/** POST /api/dandisets/{id}/unembargo/ (DANDI's rules and messages). */
export function unembargoRouter(): Router {
  const router = Router();
  router.post("/dandisets/:id/unembargo/", async (req, res) => {
    // DANDI's URL pattern takes six digits: anything else is not this route (404).
    if (!/^\d{6}$/.test(req.params.id)) throw ApiError.notFound();
    const dandisetId = Number(req.params.id);
    const { prisma } = req.deps;
    const owners = await prisma.dandisetOwner.findMany({ where: { dandisetId }, select: { userId: true } });
    const exists = await prisma.dandiset.count({ where: { id: dandisetId } });
    if (!exists) throw ApiError.notFound();
    if (
      !canUnembargo(
        req.user,
        owners.map((o) => o.userId),
      )
    )
      throw ApiError.forbidden();
    const { outboxIds } = await startUnembargo({ prisma, dandisetId });
    // The worker's unembargoDandiset job (committed with UNEMBARGOING, in the outbox) finishes it
    // (tags, blobs, assets, access, audit, e-mails), retried with backoff; the daily embargo
    // sweep re-queues one that failed for good.
    await drainAfterCommit(req, outboxIds);
    res.status(200).end();
  });
  return router;
}
