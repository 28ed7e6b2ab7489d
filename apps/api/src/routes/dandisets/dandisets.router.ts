import { Router, type Request } from "express";
import {
  ApiError,
  changeDandisetOwners,
  clearDandisetUploads,
  createDandiset,
  deleteDandiset,
  listDandisetUploads,
  listDandisetsJson,
  loadDandisetViews,
  starDandiset,
  formatDandisetIdentifier,
  isOwner,
  notifyOwnershipChange,
} from "@dandi/core";
import { z } from "zod";
import { json, jsonBody, pageOf, registry } from "../../openapi";
import { buildPage, readPageParams } from "../../lib/pagination";
import { parseOrThrow } from "../../lib/validate";
import { readListDandisetsOptions, withSearchErrors } from "./list-options";
import { findDandiset, findReadableDandiset, requireOwner } from "./dandiset-access";
import { presentDandisetDetail, presentDandisetListPage, presentOwner, presentUpload } from "./dandisets.presenter";
import {
  ZCreateDandisetBodySchema,
  ZCreateDandisetQuerySchema,
  ZListDandisetsQuerySchema,
  ZDandisetDetailSchema,
  ZDandisetListItemSchema,
  ZOwnerSchema,
  ZOwnersBodySchema,
  ZPageQuerySchema,
  ZStarCountSchema,
  ZUploadSchema,
} from "./dandisets.schemas";
import { parseEmbargoOptions } from "./embargo-options";

const idParam = "/api/dandisets/{dandisetId}/";

registry.registerPath({
  method: "get",
  path: "/api/dandisets/",
  summary: "List dandisets",
  request: { query: ZListDandisetsQuerySchema },
  responses: { 200: json("Paginated DandisetList items", pageOf(ZDandisetListItemSchema)) },
});
registry.registerPath({
  method: "post",
  path: "/api/dandisets/",
  summary: "Create a dandiset",
  request: {
    query: ZCreateDandisetQuerySchema,
    body: jsonBody(ZCreateDandisetBodySchema),
  },
  responses: { 200: json("DandisetDetail", ZDandisetDetailSchema) },
});
registry.registerPath({
  method: "get",
  path: idParam,
  summary: "Get a dandiset",
  responses: { 200: json("DandisetDetail", ZDandisetDetailSchema) },
});
registry.registerPath({
  method: "delete",
  path: idParam,
  summary: "Delete a dandiset",
  responses: { 204: { description: "Deleted" } },
});
registry.registerPath({
  method: "get",
  path: `${idParam}users/`,
  summary: "Owners of a dandiset",
  responses: { 200: json("Owners", z.array(ZOwnerSchema)) },
});
registry.registerPath({
  method: "put",
  path: `${idParam}users/`,
  summary: "Set the owners of a dandiset",
  request: { body: jsonBody(ZOwnersBodySchema) },
  responses: { 200: json("Owners", z.array(ZOwnerSchema)) },
});
registry.registerPath({
  method: "post",
  path: `${idParam}star/`,
  summary: "Star a dandiset",
  responses: { 200: json("The star count", ZStarCountSchema) },
});
registry.registerPath({
  method: "delete",
  path: `${idParam}star/`,
  summary: "Unstar a dandiset",
  responses: { 200: json("The star count", ZStarCountSchema) },
});
registry.registerPath({
  method: "get",
  path: `${idParam}uploads/`,
  summary: "Pending uploads of a dandiset",
  request: { query: ZPageQuerySchema },
  responses: { 200: json("Paginated uploads", pageOf(ZUploadSchema)) },
});
registry.registerPath({
  method: "delete",
  path: `${idParam}uploads/`,
  summary: "Clear pending uploads",
  responses: { 204: { description: "Cleared" } },
});

async function detailOf(req: Request, id: number) {
  const [view] = await loadDandisetViews(req.deps.prisma, {
    ids: [id],
    userId: req.user?.id,
    published: "latest-modified",
    countUploads: true,
  });
  return presentDandisetDetail(view!, view!.activeUploads);
}

/** Owners in date_joined order, as DANDI lists them. */
async function ownersOf(req: Request, dandisetId: number) {
  const owners = await req.deps.prisma.dandisetOwner.findMany({
    where: { dandisetId },
    include: { user: true },
    orderBy: [{ user: { dateJoined: "asc" } }, { userId: "asc" }],
  });
  // E-mail addresses go to the dandiset's owners and admins only, never to visitors.
  const showEmail = isOwner(
    req.user,
    owners.map((o) => o.userId),
  );
  return owners.map((o) => presentOwner(o.user, showEmail));
}

/** DRF ListSerializer errors: one entry per item, {} for the valid ones. */
function parseOwnersBody(body: unknown): { username: string }[] {
  if (!Array.isArray(body)) {
    const type = body === null ? "NoneType" : typeof body === "object" ? "dict" : typeof body;
    throw ApiError.fields({ non_field_errors: [`Expected a list of items but got type "${type}".`] });
  }
  const errors = body.map((item) => {
    const result = ZOwnersBodySchema.element.safeParse(item);
    if (result.success) return {};
    const username = (item as { username?: unknown } | null)?.username;
    return {
      username: [
        username === undefined
          ? "This field is required."
          : username === null
            ? "This field may not be null."
            : "This field may not be blank.",
      ],
    };
  });
  if (errors.some((e) => Object.keys(e).length > 0)) throw new ApiError(400, errors);
  return body as { username: string }[];
}

/** /api/dandisets/ and the per-dandiset routes other than versions. */
export function dandisetsRouter(): Router {
  const router = Router();

  router.get("/dandisets/", async (req, res) => {
    const { options, page } = readListDandisetsOptions(req);
    const { count, resultsJson } = await withSearchErrors(() => listDandisetsJson(options));
    res.type("json").send(presentDandisetListPage(buildPage(req, page, count, []), resultsJson));
  });

  router.post("/dandisets/", async (req, res) => {
    const body = parseOrThrow(ZCreateDandisetBodySchema, req.body);
    const embargo = parseEmbargoOptions(parseOrThrow(ZCreateDandisetQuerySchema, req.query));
    const id = await createDandiset({
      db: req.deps.prisma,
      config: req.deps.config,
      schemaVersion: req.deps.schemas.schemaVersion,
      user: req.user!,
      name: body.name,
      metadata: { schemaVersion: req.deps.schemas.schemaVersion, ...body.metadata },
      embargo,
    });
    res.json(await detailOf(req, id));
  });

  router.get("/dandisets/:dandisetId/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    res.json(await detailOf(req, dandiset.id));
  });

  router.delete("/dandisets/:dandisetId/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    await deleteDandiset({ db: req.deps.prisma, storage: req.deps.storage, user: req.user!, dandisetId: dandiset.id });
    res.status(204).end();
  });

  router.get("/dandisets/:dandisetId/users/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    res.json(await ownersOf(req, dandiset.id));
  });

  router.put("/dandisets/:dandisetId/users/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    if (dandiset.embargoStatus === "UNEMBARGOING") {
      throw ApiError.string(400, "Dandiset modification not allowed during unembargo");
    }
    if (!isOwner(req.user, dandiset.ownerIds)) throw ApiError.string(403, "Action not allowed");
    const body = parseOwnersBody(req.body);
    const { added, removed } = await changeDandisetOwners({
      db: req.deps.prisma,
      user: req.user!,
      dandisetId: dandiset.id,
      usernames: body.map((o) => o.username),
    });
    if (added.length || removed.length) {
      const draft = await req.deps.prisma.version.findUnique({
        where: { dandisetId_version: { dandisetId: dandiset.id, version: "draft" } },
        select: { name: true },
      });
      // After commit; notifyOwnershipChange logs delivery failures and never rejects.
      void notifyOwnershipChange({
        mailer: req.deps.mailer,
        webAppUrl: req.deps.config.DANDI_WEB_APP_URL,
        dandiset: { identifier: formatDandisetIdentifier(dandiset.id), name: draft?.name ?? "" },
        added,
        removed,
      });
    }
    res.json(await ownersOf(req, dandiset.id));
  });

  for (const method of ["post", "delete"] as const) {
    router[method]("/dandisets/:dandisetId/star/", async (req, res) => {
      const dandiset = await findReadableDandiset(req);
      const count = await starDandiset({
        db: req.deps.prisma,
        userId: req.user!.id,
        dandisetId: dandiset.id,
        starred: method === "post",
      });
      res.json({ count });
    });
  }

  router.get("/dandisets/:dandisetId/uploads/", async (req, res) => {
    const dandiset = await findReadableDandiset(req);
    requireOwner(req, dandiset);
    const page = readPageParams(req);
    const { count, rows } = await listDandisetUploads({
      db: req.deps.prisma,
      dandisetId: dandiset.id,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(buildPage(req, page, count, rows.map(presentUpload)));
  });

  router.delete("/dandisets/:dandisetId/uploads/", async (req, res) => {
    const dandiset = await findDandiset(req);
    requireOwner(req, dandiset);
    await clearDandisetUploads({ db: req.deps.prisma, storage: req.deps.storage, dandisetId: dandiset.id });
    res.status(204).end();
  });

  return router;
}
