import { Router } from "express";
import { z } from "zod";
import { ApiError, startPublish } from "@dandi/core";
import { jsonBody, registry } from "../../openapi";
import { drainAfterCommit } from "../../lib/drain-after-commit";
import { parseOrThrow } from "../../lib/validate";
import { findReadableDandiset, requireOwner } from "../dandisets/dandiset-access";

export const ZPublishBodySchema = z
  .object({
    release_notes: z.string().max(5000, "Ensure this field has no more than 5000 characters.").optional(),
  })
  .optional();

registry.registerPath({
  method: "post",
  path: "/api/dandisets/{dandisetId}/versions/{version}/publish/",
  summary: "Publish the draft version (asynchronously)",
  request: { body: { ...jsonBody(ZPublishBodySchema), required: false } },
  responses: {
    202: { description: "Publishing started (no body)" },
    400: { description: "Not OPEN, or invalid" },
    403: { description: "Not an owner" },
    405: { description: "Not the draft" },
    409: { description: "Validation pending" },
    423: { description: "Already publishing" },
  },
});

/** POST .../versions/draft/publish/: checks, marks the draft Publishing (with its job in the outbox), then queues it. */
export function publishRouter(): Router {
  const router = Router();
  router.post("/dandisets/:dandisetId/versions/:version/publish/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    const name = String(req.params.version);
    const exists = await req.deps.prisma.version.count({ where: { dandisetId: dandiset.id, version: name } });
    if (!exists) throw ApiError.notFound();
    if (name !== "draft") throw ApiError.string(405, "Only draft versions can be published");
    requireOwner(req, dandiset);
    const body = parseOrThrow(ZPublishBodySchema, req.body && Object.keys(req.body).length ? req.body : undefined);
    const { outboxIds } = await startPublish({
      db: req.deps.prisma,
      user: req.user,
      dandisetId: dandiset.id,
      releaseNotes: body?.release_notes ?? "",
    });
    // startPublish committed the draft as Publishing together with its job in the outbox:
    // queued now, or by the worker's outbox sweep once Redis is reachable again.
    await drainAfterCommit(req, outboxIds);
    res.status(202).end();
  });
  return router;
}
