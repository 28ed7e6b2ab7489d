import { Router, type Request } from "express";
import { z } from "zod";
import {
  ApiError,
  assertZarrFilesWritable,
  createZarr,
  deleteZarrFiles,
  finalizeZarr,
  findZarr,
  isSafeKey,
  listZarrs,
  uploadZarrFiles,
  ZARR_DOTDOT_MESSAGE,
  zarrKeyPrefix,
  zarrPathError,
} from "@dandi/core";
import { json, jsonBody, pageOf, registry } from "../../openapi";
import { drainAfterCommit } from "../../lib/drain-after-commit";
import { buildPage, readPageParams } from "../../lib/pagination";
import { absoluteRequestUrl } from "../../lib/request-url";
import { parseOrThrow, parseQueryBoolean } from "../../lib/validate";
import { ZDandisetRef } from "../uploads/uploads.router";
import { presentZarr, presentZarrFile } from "./zarr.presenter";

const ZARR_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DANDISET_ID_MESSAGE = "A valid Dandiset identifier is required.";

const ZCreateZarrBody = z.object({
  name: z
    .string({ error: "Not a valid string." })
    .min(1, { error: "This field may not be blank." })
    .max(512, { error: "Ensure this field has no more than 512 characters." }),
  dandiset: ZDandisetRef,
});

const ZListZarrsQuery = z.object({
  dandiset: z
    .string()
    .regex(/^\d{6}$/, { error: DANDISET_ID_MESSAGE })
    .transform(Number)
    .optional(),
  name: z.string().optional(),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

const ZLimit = z
  .string()
  .regex(/^\s*-?\d+\s*$/, { error: "A valid integer is required." })
  .transform(Number)
  .pipe(
    z
      .number()
      .min(0, { error: "Ensure this value is greater than or equal to 0." })
      .max(1000, { error: "Ensure this value is less than or equal to 1000." }),
  );

const ZFilesQuery = z.object({
  after: z.string().default(""),
  prefix: z
    .string()
    .default("")
    .refine((p) => !p.replace(/\\/g, "/").split("/").includes(".."), { error: ZARR_DOTDOT_MESSAGE }),
  limit: ZLimit.default(1000),
  download: z.string().optional(),
});

const zarrPath = z
  .string({ error: "Not a valid string." })
  .min(1, { error: "This field may not be blank." })
  .superRefine((p, ctx) => {
    const error = zarrPathError(p);
    if (error) ctx.addIssue({ code: "custom", message: error });
  });
const ZUploadFilesBody = z.array(z.object({ path: zarrPath, base64md5: z.string().min(1) }));
const ZDeleteFilesBody = z.array(z.object({ path: zarrPath }));

const ZZarrSchema = registry.register(
  "ZarrArchive",
  z.object({
    name: z.string(),
    dandiset: z.string(),
    zarr_id: z.string(),
    status: z.string(),
    checksum: z.string().nullable(),
    file_count: z.number().int(),
    size: z.number().int(),
  }),
);
const ZZarrFilesSchema = z.object({
  next: z.string().nullable(),
  results: z.array(z.object({ Key: z.string(), LastModified: z.string(), ETag: z.string(), Size: z.number().int() })),
});

registry.registerPath({
  method: "get",
  path: "/api/zarr/",
  summary: "List zarr archives (dandiset, name filters)",
  request: { query: ZListZarrsQuery },
  responses: { 200: json("Paginated zarr archives", pageOf(ZZarrSchema)) },
});
registry.registerPath({
  method: "post",
  path: "/api/zarr/",
  summary: "Create a zarr archive",
  request: { body: jsonBody(ZCreateZarrBody) },
  responses: { 200: json("The zarr archive", ZZarrSchema) },
});
registry.registerPath({
  method: "get",
  path: "/api/zarr/{zarr_id}/",
  summary: "A zarr archive",
  responses: { 200: json("The zarr archive", ZZarrSchema) },
});
registry.registerPath({
  method: "post",
  path: "/api/zarr/{zarr_id}/finalize/",
  summary: "Finish an upload: queues the ingest (checksum, size, file count)",
  responses: { 204: { description: "Ingest queued" } },
});
registry.registerPath({
  method: "get",
  path: "/api/zarr/{zarr_id}/files/",
  summary: "List files (S3 ListObjectsV2: prefix, after, limit); download=true redirects",
  request: { query: ZFilesQuery },
  responses: {
    200: json("Files", ZZarrFilesSchema),
    302: { description: "download=true: to a presigned URL of the file", headers: z.object({ Location: z.string() }) },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/zarr/{zarr_id}/files/",
  summary: "Presigned PUT URLs for [{path, base64md5}]",
  request: { body: jsonBody(ZUploadFilesBody) },
  responses: { 200: json("One presigned PUT URL per file", z.array(z.string())) },
});
registry.registerPath({
  method: "delete",
  path: "/api/zarr/{zarr_id}/files/",
  summary: "Delete files [{path}]",
  request: { body: jsonBody(ZDeleteFilesBody) },
  responses: { 204: { description: "Deleted" } },
});

function readZarrId(req: Request): string {
  const zarrId = String(req.params.zarrId ?? "");
  if (!ZARR_ID_RE.test(zarrId)) throw ApiError.notFound();
  return zarrId;
}

/** The zarr of a file upload or delete, checked (status, owner) before its body is read. */
async function precheckFilesWrite(req: Request): Promise<string> {
  const zarr = await findZarr(req.deps.prisma, readZarrId(req), req.user);
  assertZarrFilesWritable(zarr, req.user!);
  return zarr.zarrId;
}

/**
 * A many=True serializer body: a JSON list, else DRF's non_field_errors; item
 * errors come back as one object per item ({} for the valid ones).
 */
function parseList<S extends z.ZodType>(schema: z.ZodArray<S>, body: unknown): z.output<S>[] {
  if (!Array.isArray(body)) {
    const type = body === null || body === undefined ? "NoneType" : typeof body === "object" ? "dict" : typeof body;
    throw ApiError.fields({ non_field_errors: [`Expected a list of items but got type "${type}".`] });
  }
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) return result.data;
  const items: Record<string, string[]>[] = body.map(() => ({}));
  for (const issue of result.error.issues) {
    const [index, field] = issue.path;
    const item = items[Number(index)];
    if (!item) continue;
    const message =
      issue.code === "invalid_type" && issue.input === undefined ? "This field is required." : issue.message;
    (item[String(field ?? "non_field_errors")] ??= []).push(message);
  }
  throw new ApiError(400, items);
}

/** /api/zarr/... (DANDI's ZarrViewSet). */
export function zarrRouter(): Router {
  const router = Router();

  router.get("/zarr/", async (req, res) => {
    const query = parseOrThrow(ZListZarrsQuery, req.query);
    const page = readPageParams(req);
    const { count, zarrs } = await listZarrs(req.deps.prisma, {
      actor: req.reader,
      dandisetId: query.dandiset,
      name: query.name,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(buildPage(req, page, count, zarrs.map(presentZarr)));
  });

  router.post("/zarr/", async (req, res) => {
    const body = parseOrThrow(ZCreateZarrBody, req.body);
    const zarr = await createZarr(req.deps.prisma, { user: req.user!, dandisetId: body.dandiset, name: body.name });
    res.json(presentZarr(zarr));
  });

  router.get("/zarr/:zarrId/", async (req, res) => {
    res.json(presentZarr(await findZarr(req.deps.prisma, readZarrId(req), req.reader)));
  });

  router.post("/zarr/:zarrId/finalize/", async (req, res) => {
    const { outboxIds } = await finalizeZarr(req.deps.prisma, { user: req.user!, zarrId: readZarrId(req) });
    // The ingest job committed with the Uploaded status (outbox): queued now or by the worker's sweep.
    await drainAfterCommit(req, outboxIds);
    res.status(204).end();
  });

  /** HEAD: a redirect to a presigned HEAD of the prefix (DANDI: S3 answers 404 for a missing key). */
  router.head("/zarr/:zarrId/files/", async (req, res) => {
    const zarr = await findZarr(req.deps.prisma, readZarrId(req), req.reader);
    const query = parseOrThrow(ZFilesQuery, req.query);
    const key = (zarrKeyPrefix(zarr.zarrId) + query.prefix.replace(/^\/+/, "")).replace(/\/+$/, "");
    if (!isSafeKey(key)) throw ApiError.notFound();
    res.redirect(302, await req.deps.storage.presignHead(key));
  });

  router.get("/zarr/:zarrId/files/", async (req, res) => {
    const zarr = await findZarr(req.deps.prisma, readZarrId(req), req.reader);
    const query = parseOrThrow(ZFilesQuery, req.query);
    const base = zarrKeyPrefix(zarr.zarrId);
    const rawPrefix = query.prefix.replace(/^\/+/, "");
    if (parseQueryBoolean(query.download, "download")) {
      const key = base + rawPrefix;
      if (!isSafeKey(key)) throw ApiError.notFound();
      res.redirect(302, await req.deps.storage.presignGet(key));
      return;
    }
    const rawAfter = query.after.replace(/^\/+/, "");
    const { objects, isTruncated } = await req.deps.storage.listObjects((base + rawPrefix).replace(/\/+$/, ""), {
      startAfter: rawAfter ? (base + rawAfter).replace(/\/+$/, "") : undefined,
      maxKeys: query.limit,
    });
    const results = objects.map((o) => presentZarrFile(o, base));
    let next: string | null = null;
    if (isTruncated && results.length > 0) {
      const url = absoluteRequestUrl(req);
      url.searchParams.set("after", results[results.length - 1]!.Key);
      next = url.toString();
    }
    res.json({ next, results });
  });

  router.post("/zarr/:zarrId/files/", async (req, res) => {
    const zarrId = await precheckFilesWrite(req);
    const files = parseList(ZUploadFilesBody, req.body);
    const urls = await uploadZarrFiles(req.deps.prisma, { storage: req.deps.storage, user: req.user!, zarrId, files });
    res.json(urls);
  });

  router.delete("/zarr/:zarrId/files/", async (req, res) => {
    const zarrId = await precheckFilesWrite(req);
    const paths = parseList(ZDeleteFilesBody, req.body).map((f) => f.path);
    await deleteZarrFiles(req.deps.prisma, { storage: req.deps.storage, user: req.user!, zarrId, paths });
    res.status(204).end();
  });

  return router;
}
