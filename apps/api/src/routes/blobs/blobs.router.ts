import { Router } from "express";
import { z } from "zod";
import { findBlobByDigest } from "@dandi/core";
import { json, jsonBody, OPTIONAL_AUTH, registry } from "../../openapi";
import { ZAssetBlobSchema } from "./blobs.schemas";
import { parseOrThrow } from "../../lib/validate";
import { presentAssetBlob } from "./blobs.presenter";

export const ZBlobDigestBody = z.object({ algorithm: z.string(), value: z.string() });

registry.registerPath({
  method: "post",
  path: "/api/blobs/digest/",
  summary: "Find an existing blob by dandi:dandi-etag or dandi:sha2-256",
  // DANDI opens the blob lookup to everyone (it only reads).
  security: OPTIONAL_AUTH,
  request: { body: jsonBody(ZBlobDigestBody) },
  responses: {
    200: json("The blob: {blob_id, etag, sha256, size}", ZAssetBlobSchema),
    400: { description: "Unsupported digest algorithm" },
    404: { description: "No such blob, or not readable by the caller" },
  },
});

/** POST /api/blobs/digest/ (open to anonymous callers, as DANDI). */
export function blobsRouter(): Router {
  const router = Router();
  router.post("/blobs/digest/", async (req, res) => {
    const { algorithm, value } = parseOrThrow(ZBlobDigestBody, req.body);
    const blob = await findBlobByDigest({ db: req.deps.prisma, actor: req.user, algorithm, value });
    res.json(presentAssetBlob(blob));
  });
  return router;
}
