import { z } from "zod";
import { registry, ZJson, ZJsonObject } from "../../openapi";
import { ZDandisetBaseSchema, ZListVersionSchema } from "../dandisets/dandisets.schemas";

/** VersionSerializer: a version with its dandiset (the versions list). */
export const ZVersionSchema = registry.register(
  "VersionWithDandiset",
  ZListVersionSchema.extend({
    active_uploads: z.number().int(),
    dandiset: ZDandisetBaseSchema,
    release_notes: z.string(),
  }),
);

/** One asset's validation errors inside a VersionDetail. */
export const ZAssetValidationErrorSchema = z.object({ field: z.string(), message: z.string(), path: z.string() });

/** VersionDetailSerializer (info/ and PUT). */
export const ZVersionDetailSchema = registry.register(
  "VersionDetail",
  ZVersionSchema.extend({
    asset_validation_errors: z.array(ZAssetValidationErrorSchema),
    version_validation_errors: z.array(ZJson),
    metadata: ZJsonObject,
    contact_person: z.string(),
  }),
);
