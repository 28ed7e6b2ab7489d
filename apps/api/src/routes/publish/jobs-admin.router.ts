import { Router } from "express";
import { z } from "zod";
import { ApiError, canViewFailedJobs, countDandisetDownloads } from "@dandi/core";
import { registry } from "../../openapi";
import { buildPage, readPageParams } from "../../lib/pagination";
import { findReadableDandiset } from "../dandisets/dandiset-access";
import { presentFailedJob } from "./publish.presenter";

registry.registerPath({
  method: "get",
  path: "/api/admin/jobs/failed/",
  summary: "Failed background jobs (superusers)",
  request: { query: z.object({ page: z.string().optional(), page_size: z.string().optional() }) },
  responses: {
    200: { description: "Paginated failed jobs" },
    401: { description: "Anonymous" },
    403: { description: "Not a superuser" },
  },
});
registry.registerPath({
  method: "get",
  path: "/api/dandisets/{dandisetId}/downloads/",
  summary: "Download count of a dandiset (from S3 access logs)",
  responses: { 200: { description: "{download_count}" } },
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
