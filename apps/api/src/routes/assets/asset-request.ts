import { z } from "zod";
import { ApiError, validateAssetPath, type TAssetContentRef } from "@dandi/core";
import { parseOrThrow } from "../../lib/validate";

export const ZAssetWriteSchema = z.object({
  metadata: z.record(z.string(), z.unknown(), { error: "Expected a JSON object." }),
  blob_id: z.uuid({ error: "Must be a valid UUID." }).optional(),
  zarr_id: z.uuid({ error: "Must be a valid UUID." }).optional(),
});
export type TAssetWrite = z.infer<typeof ZAssetWriteSchema>;

/**
 * Validates a POST/PUT asset body with DANDI's messages and returns the blob or
 * zarr id and the metadata (path checked; schemaVersion defaulted to the server's).
 */
export function readAssetWrite(
  body: unknown,
  schemaVersion: string,
): { content: TAssetContentRef; metadata: Record<string, unknown> & { path: string } } {
  const data = parseOrThrow(ZAssetWriteSchema, body);
  if ((data.blob_id === undefined) === (data.zarr_id === undefined)) {
    throw ApiError.fields({ blob_id: ["Exactly one of blob_id or zarr_id must be specified."] });
  }
  const { path } = data.metadata;
  if (path === undefined || path === null || path === "") {
    throw ApiError.fields({ metadata: ["No path specified in metadata."] });
  }
  if (typeof path !== "string") throw ApiError.string(400, "Path improperly formatted");
  validateAssetPath(path);
  return {
    content: data.blob_id !== undefined ? { blobId: data.blob_id } : { zarrId: data.zarr_id! },
    metadata: { schemaVersion, ...data.metadata, path },
  };
}
