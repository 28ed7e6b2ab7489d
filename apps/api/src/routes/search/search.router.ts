import { Router } from "express";
import { listFacetValues, searchDandisetsByAssets } from "@dandi/core";
import { z } from "zod";
import { json, pageOf, registry } from "../../openapi";
import { ZPageQuerySchema } from "../dandisets/dandisets.schemas";
import { ZDandisetSearchQuerySchema, ZDandisetSearchResultSchema } from "./search.schemas";
import { buildPage, readPageParams } from "../../lib/pagination";
import { presentDandisetListItem } from "../dandisets/dandisets.presenter";
import { readListDandisetsOptions, withSearchErrors } from "../dandisets/list-options";
import { readAssetSearchFilters } from "./search.params";

registry.registerPath({
  method: "get",
  path: "/api/search/genotypes/",
  summary: "Genotypes of visible assets containing ?genotype= (at most 10)",
  request: { query: z.object({ genotype: z.string().optional() }) },
  responses: { 200: json("A JSON array of strings", z.array(z.string())) },
});
registry.registerPath({
  method: "get",
  path: "/api/search/species/",
  summary: "Species of visible assets containing ?species=",
  request: { query: ZPageQuerySchema.extend({ species: z.string().optional() }) },
  responses: { 200: json("Paginated species names", pageOf(z.string())) },
});
registry.registerPath({
  method: "get",
  path: "/api/dandisets/search/",
  summary: "Dandisets whose assets match the filters (DANDI's search app)",
  request: { query: ZDandisetSearchQuerySchema },
  responses: { 200: json("Paginated dandisets with per-dandiset asset counts", pageOf(ZDandisetSearchResultSchema)) },
});

/** The query value of a single text parameter (the last one when repeated), as DRF reads it. */
function readText(value: unknown): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : String(last).trim();
}

/**
 * Asset search (DANDI's search app): GET /api/dandisets/search/ and the
 * genotype and species autocompletes of the web app's Search page. Mounted
 * before the dandisets router so that "search" is never read as a dandiset id.
 */
export function searchRouter(): Router {
  const router = Router();

  router.get("/dandisets/search/", async (req, res) => {
    const { options, page } = readListDandisetsOptions(req);
    const filters = await readAssetSearchFilters(req);
    const { count, results } = await withSearchErrors(() => searchDandisetsByAssets({ ...options, filters }));
    const items = results.map((r) => ({ ...presentDandisetListItem(r), asset_counts: r.assetCounts }));
    res.json(buildPage(req, page, count, items));
  });

  router.get("/search/genotypes/", async (req, res) => {
    const { values } = await listFacetValues({
      db: req.deps.prisma,
      user: req.user,
      facet: "genotype",
      contains: readText(req.query.genotype),
      offset: 0,
      limit: 10,
      withCount: false,
    });
    res.json(values);
  });

  router.get("/search/species/", async (req, res) => {
    const page = readPageParams(req);
    const { count, values } = await listFacetValues({
      db: req.deps.prisma,
      user: req.user,
      facet: "species",
      contains: readText(req.query.species),
      offset: page.offset,
      limit: page.pageSize,
      withCount: true,
    });
    res.json(buildPage(req, page, count, values));
  });

  return router;
}
