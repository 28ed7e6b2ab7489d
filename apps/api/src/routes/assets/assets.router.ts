import { Router, type Request } from "express";
import { ApiError, canReadAsset, countAssetDownloads, findAsset, isAssetEmbargoed } from "@dandi/core";
import { z } from "zod";
import { json, registry, ZJsonObject } from "../../openapi";
import { DOWNLOAD_RESPONSES, ZAssetDetailSchema } from "./assets.schemas";
import { readAssetId } from "./asset-params";
import { sendAssetDownload, ZDownloadQuerySchema } from "./asset-download";
import { presentAssetDetail, presentFullMetadata } from "./assets.presenter";

registry.registerPath({
  method: "get",
  path: "/api/assets/{asset_id}/",
  summary: "Full asset metadata",
  responses: { 200: json("The asset's full metadata", ZJsonObject) },
});
registry.registerPath({
  method: "get",
  path: "/api/assets/{asset_id}/info/",
  summary: "AssetDetail",
  responses: { 200: json("AssetDetail", ZAssetDetailSchema) },
});
registry.registerPath({
  method: "get",
  path: "/api/assets/{asset_id}/download/",
  summary: "302 to a presigned download URL",
  request: { query: ZDownloadQuerySchema },
  responses: DOWNLOAD_RESPONSES,
});
registry.registerPath({
  method: "get",
  path: "/api/assets/{asset_id}/downloads/",
  summary: "Download count of an asset (from S3 access logs)",
  responses: { 200: json("Download count", z.object({ download_count: z.number().int() })) },
});

/**
 * The asset of a top-level route behind the read policy (`canReadAsset`): it
 * must belong to a dandiset the caller may read; refused, anonymous callers get
 * 401 and others 403, as DANDI's embargo gate.
 */
async function loadAsset(req: Request) {
  const { asset, containing } = await findAsset(req.deps.prisma, readAssetId(req));
  if (!canReadAsset(req.reader, { embargoed: isAssetEmbargoed(asset) }, containing)) {
    throw req.user ? ApiError.forbidden() : ApiError.unauthenticated();
  }
  return asset;
}

/** /api/assets/{id}/... (DANDI's AssetViewSet: no list route). */
export function assetsRouter(): Router {
  const router = Router();
  router.get("/assets/:assetId/", async (req, res) => {
    res.json(presentFullMetadata(req.deps, await loadAsset(req)));
  });
  router.get("/assets/:assetId/info/", async (req, res) => {
    res.json(presentAssetDetail(req.deps, await loadAsset(req)));
  });
  router.get("/assets/:assetId/downloads/", async (req, res) => {
    const asset = await loadAsset(req);
    res.json({ download_count: await countAssetDownloads(req.deps.prisma, asset.blob?.id ?? null) });
  });
  router.get("/assets/:assetId/download/", async (req, res) => {
    await sendAssetDownload(req, res, await loadAsset(req));
  });
  return router;
}
