import { z } from "zod";
import { ASSET_SEARCH_FILE_TYPES, ASSET_SEARCH_MEASUREMENT_TECHNIQUES } from "@dandi/core";
import { ZListDandisetsQuerySchema, ZDandisetListItemSchema } from "../dandisets/dandisets.schemas";

/** A size filter: DRF IntegerField(min_value=0). */
const ZSize = z.string().regex(/^\d+$/).optional();

/**
 * The query of GET /api/dandisets/search/: the dandiset list parameters plus
 * DANDI's DandisetSearchQueryParameterSerializer (validated by readAssetSearchFilters;
 * species must be names that some asset the caller may see has).
 */
export const ZDandisetSearchQuerySchema = ZListDandisetsQuerySchema.extend({
  file_type: z.array(z.enum(ASSET_SEARCH_FILE_TYPES)).optional(),
  measurement_technique: z.array(z.enum(ASSET_SEARCH_MEASUREMENT_TECHNIQUES)).optional(),
  file_size_min: ZSize,
  file_size_max: ZSize,
  genotype: z.array(z.string().regex(/\S/)).optional(),
  species: z.array(z.string()).optional(),
});

export const ZDandisetSearchResultSchema = ZDandisetListItemSchema.extend({
  asset_counts: z.record(z.string(), z.number().int()),
});
