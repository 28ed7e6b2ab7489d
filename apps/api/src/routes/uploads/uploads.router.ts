import { Router } from "express";
import { z } from "zod";
import {
  ApiError,
  completeUpload,
  initializeUpload,
  presignUploadParts,
  validateUpload,
  withoutReadGrants,
} from "@dandi/core";
import { json, jsonBody, registry } from "../../openapi";
import { ZAssetBlobSchema } from "../blobs/blobs.schemas";
import { drainAfterCommit } from "../../lib/drain-after-commit";
import { parseOrThrow } from "../../lib/validate";
import { presentAssetBlob } from "../blobs/blobs.presenter";
import { presentCompletedUpload, presentInitializedUpload } from "./uploads.presenter";

const DANDISET_ID_MESSAGE = "A valid Dandiset identifier is required.";

/** "000123" (DANDI's identifier regex) or a positive int; becomes the dandiset's numeric id. */
export const ZDandisetRef = z
  .union([z.string(), z.number()], {
    error: (iss) => (iss.input === undefined ? "This field is required." : DANDISET_ID_MESSAGE),
  })
  .transform((v, ctx) => {
    const id = typeof v === "number" ? v : /^\d{6}$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(id) || id < 1) {
      ctx.addIssue({ code: "custom", message: DANDISET_ID_MESSAGE });
      return z.NEVER;
    }
    return id;
  });

const ZPositiveInt = z
  .number({ error: "A valid integer is required." })
  .int({ error: "A valid integer is required." })
  .min(1, { error: "Ensure this value is greater than or equal to 1." });

export const ZInitializeUploadBody = z.object({
  contentSize: ZPositiveInt,
  digest: z.object({ algorithm: z.string(), value: z.string() }),
  dandiset: ZDandisetRef,
});

export const ZCompleteUploadBody = z.object({
  parts: z
    .array(z.object({ part_number: ZPositiveInt, size: ZPositiveInt, etag: z.string() }))
    .min(1, { error: "This list may not be empty." }),
});

const UploadParams = z.object({ uploadId: z.uuid() });

const ZInitializedUploadSchema = z.object({
  upload_id: z.string(),
  parts: z.array(z.object({ part_number: z.number().int(), size: z.number().int(), upload_url: z.string() })),
});

registry.registerPath({
  method: "post",
  path: "/api/uploads/initialize/",
  summary: "Start a multipart upload of a blob (or learn that it already exists)",
  request: { body: jsonBody(ZInitializeUploadBody) },
  responses: {
    200: json("{upload_id, parts: [{part_number, size, upload_url}]}", ZInitializedUploadSchema),
    409: { description: "Blob already exists; the Location header holds its blob_id" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/uploads/{uploadId}/complete/",
  summary: "The CompleteMultipartUpload body and the presigned URL to POST it to",
  request: { params: UploadParams, body: jsonBody(ZCompleteUploadBody) },
  responses: {
    200: json("{complete_url, body}", z.object({ complete_url: z.string(), body: z.string() })),
    404: { description: "Unknown upload" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/uploads/{uploadId}/parts/",
  summary: "Fresh presigned part URLs for an upload that is still open (not in DANDI; resuming after the URLs expired)",
  description:
    "Owners of the upload's dandiset only. Same answer as initialize's, for the same upload id and part schedule: " +
    "parts already stored stay stored, a client sends only the ones it has not.",
  request: { params: UploadParams },
  responses: {
    200: json("{upload_id, parts: [{part_number, size, upload_url}]}", ZInitializedUploadSchema),
    400: { description: "The dandiset is being unembargoed" },
    403: { description: "Not an owner of the upload's dandiset" },
    404: { description: "Unknown upload" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/uploads/{uploadId}/validate/",
  summary: "Check the completed object and mint its AssetBlob",
  request: { params: UploadParams },
  responses: {
    200: json("{blob_id, etag, sha256, size}", ZAssetBlobSchema),
    400: { description: "Object missing, or its size or ETag differs" },
    404: { description: "Unknown upload" },
  },
});

/** DANDI's upload protocol: initialize, complete, validate. */
export function uploadsRouter(): Router {
  const router = Router();

  router.post("/uploads/initialize/", async (req, res) => {
    const body = parseOrThrow(ZInitializeUploadBody, req.body);
    const result = await initializeUpload({
      db: req.deps.prisma,
      storage: req.deps.storage,
      actor: withoutReadGrants(req.user),
      dandisetId: body.dandiset,
      contentSize: body.contentSize,
      digest: body.digest,
    });
    if (result.kind === "exists") throw ApiError.string(409, "Blob already exists.", { Location: result.blobId });
    res.json(presentInitializedUpload(result));
  });

  router.post("/uploads/:uploadId/complete/", async (req, res) => {
    const { parts } = parseOrThrow(ZCompleteUploadBody, req.body);
    const result = await completeUpload({
      db: req.deps.prisma,
      storage: req.deps.storage,
      actor: withoutReadGrants(req.user),
      uploadId: req.params.uploadId,
      parts: parts.map((p) => ({ partNumber: p.part_number, size: p.size, etag: p.etag })),
    });
    res.json(presentCompletedUpload(result));
  });

  router.post("/uploads/:uploadId/parts/", async (req, res) => {
    const result = await presignUploadParts({
      db: req.deps.prisma,
      storage: req.deps.storage,
      actor: withoutReadGrants(req.user),
      uploadId: req.params.uploadId,
    });
    res.json(presentInitializedUpload({ kind: "started", ...result }));
  });

  router.post("/uploads/:uploadId/validate/", async (req, res) => {
    const { blob, outboxIds } = await validateUpload({
      db: req.deps.prisma,
      storage: req.deps.storage,
      actor: withoutReadGrants(req.user),
      uploadId: req.params.uploadId,
    });
    // A new blob's checksum job committed with it (outbox): queued now or by the worker's sweep;
    // the checksum worker hashes the blob, then validation of its assets follows.
    await drainAfterCommit(req, outboxIds);
    res.json(presentAssetBlob(blob));
  });

  return router;
}
