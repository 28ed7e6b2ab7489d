import { Router } from "express";
import { z } from "zod";
import {
  ASSET_ORDERS,
  addAsset,
  findVersionAsset,
  listPathChildren,
  listVersionAssets,
  removeAsset,
  updateAsset,
} from "@dandi/core";
import type { Request } from "express";
import { json, jsonBody, pageOf, registry, ZJsonObject } from "../../openapi";
import {
  DOWNLOAD_RESPONSES,
  ZAssetDetailSchema,
  ZAssetPageSchema,
  ZAssetValidationSchema,
  ZPathChildSchema,
} from "./assets.schemas";
import { buildLazyPage, buildPage, readPageParams } from "../../lib/pagination";
import { parseOrThrow, parseQueryBoolean } from "../../lib/validate";
import { loadVersion, loadWritableVersion, readAssetId } from "./asset-params";
import { readAssetWrite, ZAssetWriteSchema } from "./asset-request";
import { sendAssetDownload, ZDownloadQuerySchema } from "./asset-download";
import {
  presentAsset,
  presentAssetDetail,
  presentAssetValidation,
  presentFullMetadata,
  presentPathChild,
} from "./assets.presenter";

const BASE = "/dandisets/:dandisetId/versions/:version/assets";
const DOC_BASE = "/api/dandisets/{dandiset_id}/versions/{version}/assets";

const ZAssetListQuerySchema = z.object({
  path: z.string().optional(),
  glob: z.string().optional(),
  metadata: z.string().optional(),
  zarr: z.string().optional(),
  order: z
    .string()
    .default("created")
    .refine((o) => (ASSET_ORDERS as readonly string[]).includes(o), {
      error: (issue) => `Select a valid choice. ${String(issue.input)} is not one of the available choices.`,
    }),
  page: z.string().optional(),
  page_size: z.string().optional(),
});
const ZPathsQuerySchema = z.object({
  path_prefix: z.string().default(""),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

/** The body and answers of an asset write (POST adds, PUT replaces). */
const ASSET_WRITE_DOC = {
  request: { body: jsonBody(ZAssetWriteSchema) },
  responses: {
    200: json("AssetDetail", ZAssetDetailSchema),
    405: { description: "Only the draft can be modified" },
    409: { description: "An asset already exists at this path" },
  },
};

registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/`,
  summary: "List a version's assets (lazy pagination)",
  request: { query: ZAssetListQuerySchema },
  responses: { 200: json("Assets (count on the first page only)", ZAssetPageSchema) },
});
registry.registerPath({
  method: "post",
  path: `${DOC_BASE}/`,
  summary: "Add an asset to the draft",
  ...ASSET_WRITE_DOC,
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/paths/`,
  summary: "Direct children of a folder",
  request: { query: ZPathsQuerySchema },
  responses: { 200: json("Paths", pageOf(ZPathChildSchema)), 404: { description: "Specified path not found." } },
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/{asset_id}/`,
  summary: "Full asset metadata",
  responses: { 200: json("The asset's full metadata", ZJsonObject) },
});
registry.registerPath({
  method: "put",
  path: `${DOC_BASE}/{asset_id}/`,
  summary: "Change a draft asset (a new asset replaces it)",
  ...ASSET_WRITE_DOC,
});
registry.registerPath({
  method: "delete",
  path: `${DOC_BASE}/{asset_id}/`,
  summary: "Remove an asset from the draft",
  responses: { 204: { description: "Removed" }, 405: { description: "Only the draft can be modified" } },
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/{asset_id}/info/`,
  summary: "AssetDetail",
  responses: { 200: json("AssetDetail", ZAssetDetailSchema) },
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/{asset_id}/validation/`,
  summary: "Validation status and errors",
  responses: { 200: json("Validation status and errors", ZAssetValidationSchema) },
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/{asset_id}/download/`,
  summary: "302 to a presigned download URL",
  request: { query: ZDownloadQuerySchema },
  responses: DOWNLOAD_RESPONSES,
});

/**
 * After a write that released an embargoed blob into an OPEN dandiset (committed
 * already): removes the object's embargoed=true tag. Best effort, as DANDI's
 * follow-up task: a failure is logged and leaves the flag in the database right.
 */
async function releaseBlobTag(req: Request, key: string | null): Promise<void> {
  if (!key) return;
  try {
    await req.deps.storage.setEmbargoedTag(key, false);
  } catch (err) {
    req.log.warn({ err, key }, "could not remove the embargoed tag of a released blob");
  }
}

/**
 * After an asset write has committed: queues the recomputation of the draft's
 * assetsSummary. Best effort: the write stands even if Redis is unreachable,
 * and the validation sweep queues the summary of every Pending draft anyway.
 */
async function queueAssetsSummary(req: Request, versionId: number): Promise<void> {
  try {
    await req.deps.jobs.enqueue("aggregateAssetsSummary", { versionId });
  } catch (err) {
    req.log.warn({ err, versionId }, "could not queue the draft's assetsSummary");
  }
}

/** /api/dandisets/{id}/versions/{v}/assets/... (DANDI's NestedAssetViewSet). */
export function versionAssetsRouter(): Router {
  const router = Router();

  router.get(`${BASE}/`, async (req, res) => {
    const version = await loadVersion(req);
    const query = parseOrThrow(ZAssetListQuerySchema, req.query);
    const withMetadata = parseQueryBoolean(query.metadata, "metadata") ?? false;
    const page = readPageParams(req);
    const { count, assets } = await listVersionAssets(req.deps.prisma, {
      versionId: version.id,
      order: query.order as (typeof ASSET_ORDERS)[number],
      path: query.path,
      glob: query.glob,
      zarrOnly: parseQueryBoolean(query.zarr, "zarr") ?? false,
      withMetadata,
      offset: page.offset,
      limit: page.pageSize + 1,
      withCount: page.page === 1,
    });
    const items = assets.map((a) => presentAsset(req.deps, a, withMetadata));
    res.json(buildLazyPage(req, page, items, count));
  });

  router.post(`${BASE}/`, async (req, res) => {
    const version = await loadWritableVersion(req);
    const { content, metadata } = readAssetWrite(req.body, req.deps.schemas.schemaVersion);
    const { asset, releasedBlobKey } = await addAsset(req.deps.prisma, { user: req.user!, version, content, metadata });
    await releaseBlobTag(req, releasedBlobKey);
    await queueAssetsSummary(req, version.id);
    res.json(presentAssetDetail(req.deps, asset));
  });

  router.get(`${BASE}/paths/`, async (req, res) => {
    const version = await loadVersion(req);
    const query = parseOrThrow(ZPathsQuerySchema, req.query);
    const page = readPageParams(req);
    const { count, children } = await listPathChildren(req.deps.prisma, {
      versionId: version.id,
      pathPrefix: query.path_prefix,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(
      buildPage(
        req,
        page,
        count,
        children.map((c) => presentPathChild(req.deps, c)),
      ),
    );
  });

  router.get(`${BASE}/:assetId/`, async (req, res) => {
    const version = await loadVersion(req);
    const asset = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    res.json(presentFullMetadata(req.deps, asset));
  });

  router.put(`${BASE}/:assetId/`, async (req, res) => {
    const version = await loadWritableVersion(req);
    const { content, metadata } = readAssetWrite(req.body, req.deps.schemas.schemaVersion);
    const old = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    const { asset, releasedBlobKey } = await updateAsset(req.deps.prisma, {
      user: req.user!,
      version,
      asset: old,
      content,
      metadata,
    });
    await releaseBlobTag(req, releasedBlobKey);
    await queueAssetsSummary(req, version.id);
    res.json(presentAssetDetail(req.deps, asset));
  });

  router.delete(`${BASE}/:assetId/`, async (req, res) => {
    const version = await loadWritableVersion(req);
    const asset = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    await removeAsset(req.deps.prisma, { user: req.user!, version, asset });
    await queueAssetsSummary(req, version.id);
    res.status(204).end();
  });

  router.get(`${BASE}/:assetId/info/`, async (req, res) => {
    const version = await loadVersion(req);
    const asset = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    res.json(presentAssetDetail(req.deps, asset));
  });

  router.get(`${BASE}/:assetId/validation/`, async (req, res) => {
    const version = await loadVersion(req);
    const asset = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    res.json(presentAssetValidation(asset));
  });

  router.get(`${BASE}/:assetId/download/`, async (req, res) => {
    const version = await loadVersion(req);
    const asset = await findVersionAsset(req.deps.prisma, version.id, readAssetId(req));
    await sendAssetDownload(req, res, asset);
  });

  return router;
}
