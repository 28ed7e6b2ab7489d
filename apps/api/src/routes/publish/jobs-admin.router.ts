import { Router } from "express";
import { z } from "zod";
import { ApiError, canViewFailedJobs, countDandisetDownloads } from "@dandi/core";
import { json, pageOf, REQUIRED_AUTH, registry, ZJson, ZTimestamp } from "../../openapi";
import { buildPage, readPageParams } from "../../lib/pagination";
import { findReadableDandiset } from "../dandisets/dandiset-access";
import { presentFailedJob } from "./publish.presenter";

registry.registerPath({
  method: "get",
  path: "/api/admin/jobs/failed/",
  summary: "Failed background jobs (superusers)",
  security: REQUIRED_AUTH,
  request: { query: z.object({ page: z.string().optional(), page_size: z.string().optional() }) },
  responses: {
    200: json(
      "Paginated failed jobs",
      pageOf(
        z.object({
          queue: z.string(),
          name: z.string(),
          id: z.string().nullable(),
          data: ZJson,
          failed_reason: z.string().nullable(),
          attempts_made: z.number().int(),
          created: ZTimestamp.nullable(),
          processed: ZTimestamp.nullable(),
          finished: ZTimestamp.nullable(),
        }),
      ),
    ),
    401: { description: "Anonymous" },
    403: { description: "Not a superuser" },
  },
});
registry.registerPath({
  method: "get",
  path: "/api/dandisets/{dandisetId}/downloads/",
  summary: "Download count of a dandiset (from S3 access logs)",
  responses: { 200: json("Download count", z.object({ download_count: z.number().int() })) },
});

/** Background-work views: failed jobs for admins, download counts for everyone. */
export function jobsAdminRouter(): Router {
  const router = Router();
  router.get("/admin/jobs/failed/", async (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    if (!canViewFailedJobs(req.user)) throw ApiError.forbidden();
    const params = readPageParams(req);
    const { count, jobs } = await req.deps.jobs.listFailed((params.page - 1) * params.pageSize, params.pageSize);
    res.json(buildPage(req, params, count, jobs.map(presentFailedJob)));
  });
  router.get("/dandisets/:dandisetId/downloads/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    res.json({ download_count: await countDandisetDownloads(req.deps.prisma, dandiset.id) });
  });
  return router;
}
