import { Router } from "express";
import { getLatestApplicationStats } from "@dandi/core";
import { z } from "zod";
import { json, registry } from "../../openapi";
import { presentStats } from "./stats.presenter";

registry.registerPath({
  method: "get",
  path: "/api/stats/",
  summary: "Archive-wide counts, as last computed",
  responses: {
    200: json(
      "Stats",
      z.object({
        dandiset_count: z.number().int(),
        published_dandiset_count: z.number().int(),
        user_count: z.number().int(),
        size: z.number().int(),
        download_count: z.number().int(),
      }),
    ),
  },
});

/** /api/stats/: served from the ApplicationStats table, recomputed periodically by the worker. */
export function statsRouter(): Router {
  const router = Router();
  router.get("/stats/", async (req, res) => {
    res.json(presentStats(await getLatestApplicationStats(req.deps.prisma)));
  });
  return router;
}
