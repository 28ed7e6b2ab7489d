import { Router } from "express";
import { z } from "zod";
import { ApiError, assertCanReadDandiset, findAssetVersion, listAtPath } from "@dandi/core";
import { json, pageOf, registry } from "../../openapi";
import { ZAssetSchema } from "../assets/assets.schemas";
import { buildPage, readPageParams } from "../../lib/pagination";
import { parseOrThrow, parseQueryBoolean } from "../../lib/validate";
import { presentAtPathEntry } from "./webdav.presenter";

/** A DRF CharField: whitespace trimmed, then blank refused. */
const drfChar = () => z.string().trim().min(1, "This field may not be blank.");

const ZAtPathQuerySchema = z.object({
  dandiset_id: drfChar(),
  version_id: drfChar(),
  path: drfChar().optional(),
  metadata: z.string().optional(),
  children: z.string().optional(),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

registry.registerPath({
  method: "get",
  path: "/api/webdav/assets/atpath/",
  summary: "The asset or folder at a path, optionally with a folder's direct children (for dandidav)",
  request: { query: ZAtPathQuerySchema },
  responses: {
    200: json(
      'Paginated [{"type": "asset"|"folder", "resource": ...}]',
      pageOf(
        z.union([
          z.object({ type: z.literal("asset"), resource: ZAssetSchema }),
          z.object({
            type: z.literal("folder"),
            resource: z.object({ path: z.string(), total_assets: z.number().int(), total_size: z.number().int() }),
          }),
        ]),
      ),
    ),
    403: { description: "Embargoed or unembargoing dandiset and the caller is not an owner" },
    404: { description: "Unknown dandiset or version; Folder or asset not found at X; Folder not found at X" },
  },
});

/** The largest dandiset id PostgreSQL's integer column holds; beyond it nothing can match. */
const MAX_DANDISET_ID = 2 ** 31 - 1;

/** /api/webdav/assets/atpath/ (DANDI's webdav atpath view, used by the dandidav WebDAV server). */
export function webdavRouter(): Router {
  const router = Router();
  router.get("/webdav/assets/atpath/", async (req, res) => {
    const query = parseOrThrow(ZAtPathQuerySchema, req.query);
    const withMetadata = parseQueryBoolean(query.metadata, "metadata") ?? false;
    const children = parseQueryBoolean(query.children, "children") ?? false;
    // DANDI parses the id with int(): "1", "000001" and "+1" all name dandiset 000001.
    if (!/^[+-]?\d+$/.test(query.dandiset_id)) {
      throw ApiError.fields({ dandiset_id: ["A valid integer is required."] });
    }
    const dandisetId = Number(query.dandiset_id);
    if (dandisetId < 0 || dandisetId > MAX_DANDISET_ID) throw ApiError.notFound();
    const version = await findAssetVersion(req.deps.prisma, dandisetId, query.version_id);
    // The read policy: EMBARGOED and UNEMBARGOING alike (DANDI gates only EMBARGOED here,
    // leaking an unembargoing dandiset's assets); anonymous callers get 403 too, as DANDI.
    assertCanReadDandiset(req.reader, version, version.ownerIds, "forbidden");
    const page = readPageParams(req);
    const { count, entries } = await listAtPath(req.deps.prisma, {
      versionId: version.id,
      path: query.path ?? "",
      children,
      withMetadata,
      offset: page.offset,
      limit: page.pageSize,
    });
    res.json(
      buildPage(
        req,
        page,
        count,
        entries.map((e) => presentAtPathEntry(req.deps, e, withMetadata)),
      ),
    );
  });
  return router;
}
