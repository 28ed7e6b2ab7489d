import type { ResponseConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { pageOf, registry, ZJsonObject, ZTimestamp } from "../../openapi";

/** An asset list item (DANDI's AssetSerializer); `metadata` only with ?metadata=true. */
export const ZAssetSchema = registry.register(
  "Asset",
  z.object({
    asset_id: z.string(),
    blob: z.string().nullable(),
    zarr: z.string().nullable(),
    path: z.string(),
    size: z.number().int(),
    created: ZTimestamp,
    modified: ZTimestamp,
    metadata: ZJsonObject.optional(),
  }),
);

/** DANDI's AssetDetail: the list item plus the full metadata. */
export const ZAssetDetailSchema = registry.register("AssetDetail", ZAssetSchema.required({ metadata: true }));

export const ZAssetPageSchema = pageOf(ZAssetSchema);

export const ZAssetValidationSchema = z.object({ status: z.string(), validation_errors: z.array(z.unknown()) });

/** One entry of GET .../assets/paths/. */
export const ZPathChildSchema = z.object({
  path: z.string(),
  version: z.number().int(),
  aggregate_files: z.number().int(),
  aggregate_size: z.number().int(),
  asset: z.object({ asset_id: z.string(), url: z.string().nullable() }).nullable(),
});

/** The answers of an asset download route: a redirect, or DANDI's inline <video> page. */
export const DOWNLOAD_RESPONSES: Record<string, ResponseConfig> = {
  200: {
    description: "Inline video: a small HTML page with a <video> element",
    content: { "text/html": { schema: z.string() } },
  },
  302: {
    description: "Redirect to a presigned URL of the blob",
    headers: z.object({ Location: z.string() }),
  },
};
