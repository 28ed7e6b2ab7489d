import { Router, type Request } from "express";
import { z } from "zod";
import {
  ApiError,
  deleteVersion,
  findDandisetVersion,
  isOwner,
  listAssetValidationErrors,
  loadDandisetViews,
  reloadTimestamps,
  updateVersionMetadata,
} from "@dandi/core";
import type { Version } from "@dandi/db";
import { json, jsonBody, pageOf, registry, ZJsonObject } from "../../openapi";
import { ZVersionDetailSchema, ZVersionSchema } from "./versions.schemas";
import { buildPage, readPageParams } from "../../lib/pagination";
import { parseOrThrow } from "../../lib/validate";
import { VERSION_RE } from "../../lib/path-params";
import { findReadableDandiset, type TDandisetWithOwners } from "../dandisets/dandiset-access";
import { presentVersion, presentVersionDetail } from "./versions.presenter";

const base = "/api/dandisets/{dandisetId}/versions/";

export const ZUpdateVersionBodySchema = z.object({
  name: z.string().max(300, "Ensure this field has no more than 300 characters."),
  metadata: z.record(z.string(), z.unknown()),
});
const ZListVersionsQuerySchema = z.object({
  order: z.string().optional(),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

registry.registerPath({
  method: "get",
  path: base,
  summary: "List versions",
  request: { query: ZListVersionsQuerySchema },
  responses: { 200: json("Paginated versions", pageOf(ZVersionSchema)) },
});
registry.registerPath({
  method: "get",
  path: `${base}{version}/`,
  summary: "Raw version metadata",
  responses: { 200: json("The version's metadata document", ZJsonObject) },
});
registry.registerPath({
  method: "put",
  path: `${base}{version}/`,
  summary: "Update draft metadata",
  request: { body: jsonBody(ZUpdateVersionBodySchema) },
  responses: {
    200: json("VersionDetail", ZVersionDetailSchema),
    405: { description: "Only the draft can be modified" },
  },
});
registry.registerPath({
  method: "delete",
  path: `${base}{version}/`,
  summary: "Delete a published version (admins)",
  responses: { 204: { description: "Deleted" } },
});
registry.registerPath({
  method: "get",
  path: `${base}{version}/info/`,
  summary: "Version details",
  responses: { 200: json("VersionDetail", ZVersionDetailSchema) },
});

async function findVersion(req: Request): Promise<{ dandiset: TDandisetWithOwners; version: Version }> {
  const dandiset = await findReadableDandiset(req);
  const name = String(req.params.version);
  if (!VERSION_RE.test(name)) throw ApiError.notFound();
  const version = await findDandisetVersion(req.deps.prisma, dandiset.id, name);
  if (!version) throw ApiError.notFound();
  return { dandiset, version };
}

async function contextOf(req: Request, dandisetId: number) {
  const [view] = await loadDandisetViews(req.deps.prisma, {
    ids: [dandisetId],
    userId: req.user?.id,
    published: "latest-modified",
    countUploads: true,
  });
  return { view: view!, activeUploads: view!.activeUploads };
}

async function detailOf(req: Request, version: Version) {
  const [{ view, activeUploads }, errors] = await Promise.all([
    contextOf(req, version.dandisetId),
    listAssetValidationErrors(req.deps.prisma, version.id),
  ]);
  return presentVersionDetail(version, view, activeUploads, errors);
}

/** The versions of a dandiset (list, metadata, info, update, delete). */
export function versionsRouter(): Router {
  const router = Router();

  router.get("/dandisets/:dandisetId/versions/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    const query = parseOrThrow(ZListVersionsQuerySchema, req.query);
    const descending = query.order === "-created";
    const page = readPageParams(req);
    const [count, versions, { view, activeUploads }] = await Promise.all([
      req.deps.prisma.version.count({ where: { dandisetId: dandiset.id } }),
      req.deps.prisma.version
        .findMany({
          where: { dandisetId: dandiset.id },
          orderBy: [{ created: descending ? "desc" : "asc" }, { id: descending ? "desc" : "asc" }],
          skip: page.offset,
          take: page.pageSize,
        })
        .then((rows) => reloadTimestamps(req.deps.prisma, "versions", rows)),
      contextOf(req, dandiset.id),
    ]);
    res.json(
      buildPage(
        req,
        page,
        count,
        versions.map((v) => presentVersion(v, view, activeUploads)),
      ),
    );
  });

  router.get("/dandisets/:dandisetId/versions/:version/", async (req, res) => {
    const { version } = await findVersion(req);
    res.json(version.metadata);
  });

  router.get("/dandisets/:dandisetId/versions/:version/info/", async (req, res) => {
    const { version } = await findVersion(req);
    res.json(await detailOf(req, version));
  });

  router.put("/dandisets/:dandisetId/versions/:version/", async (req, res) => {
    const { dandiset, version } = await findVersion(req);
    if (!isOwner(req.user, dandiset.ownerIds)) throw ApiError.forbidden();
    const body = parseOrThrow(ZUpdateVersionBodySchema, req.body);
    await updateVersionMetadata({
      db: req.deps.prisma,
      config: req.deps.config,
      user: req.user!,
      dandisetId: dandiset.id,
      version: version.version,
      name: body.name,
      metadata: { schemaVersion: req.deps.schemas.schemaVersion, ...body.metadata },
    });
    const [saved] = await reloadTimestamps(req.deps.prisma, "versions", [
      await req.deps.prisma.version.findUniqueOrThrow({ where: { id: version.id } }),
    ]);
    res.json(await detailOf(req, saved!));
  });

  router.delete("/dandisets/:dandisetId/versions/:version/", async (req, res) => {
    const { version } = await findVersion(req);
    await deleteVersion({ db: req.deps.prisma, user: req.user!, versionId: version.id, version: version.version });
    res.status(204).end();
  });

  return router;
}
