import { z } from "zod";
import { registry } from "../../openapi";

/** DANDI's AssetBlobSerializer: {blob_id, etag, sha256, size}. */
export const ZAssetBlobSchema = registry.register(
  "AssetBlob",
  z.object({ blob_id: z.string(), etag: z.string(), sha256: z.string().nullable(), size: z.number().int() }),
);
