import { z } from "zod";
import { ApiError, validateAssetPath } from "@dandi/core";
import { parseOrThrow } from "../../lib/validate";

export const ZAssetWriteSchema = z.object({
  metadata: z.record(z.string(), z.unknown(), { error: "Expected a JSON object." }),
  blob_id: z.uuid({ error: "Must be a valid UUID." }).optional(),
  zarr_id: z.uuid({ error: "Must be a valid UUID." }).optional(),
});
export type TAssetWrite = z.infer<typeof ZAssetWriteSchema>;

/**
 * Validates a POST/PUT asset body with DANDI's messages and returns the blob id
 * and the metadata (path checked; schemaVersion defaulted to the server's).
 */
export function readAssetWrite(
  body: unknown,
  schemaVersion: string,
): { blobId: string; metadata: Record<string, unknown> & { path: string } } {
  const data = parseOrThrow(ZAssetWriteSchema, body);
  if ((data.blob_id === undefined) === (data.zarr_id === undefined)) {
    throw ApiError.fields({ blob_id: ["Exactly one of blob_id or zarr_id must be specified."] });
  }
  if (data.zarr_id !== undefined) {
    throw ApiError.fields({ zarr_id: ["Zarr archives are not supported by this archive; upload files as blobs."] });
  }
  const { path } = data.metadata;
  if (path === undefined || path === null || path === "") {
    throw ApiError.fields({ metadata: ["No path specified in metadata."] });
  }
  if (typeof path !== "string") throw ApiError.string(400, "Path improperly formatted");
  validateAssetPath(path);
  return {
    blobId: data.blob_id!,
    metadata: { schemaVersion, ...data.metadata, path },
  };
}
