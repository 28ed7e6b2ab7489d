import path from "node:path";
import type { Request, Response } from "express";
import { z } from "zod";
import { ApiError, type TAssetRecord } from "@dandi/core";
import { parseOrThrow } from "../../lib/validate";

export const ZDownloadQuerySchema = z.object({
  content_disposition: z
    .string()
    .default("attachment")
    .refine((v) => v === "attachment" || v === "inline", {
      error: (issue) => `"${String(issue.input)}" is not a valid choice.`,
    }),
});

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Answers an asset download: a 302 to a presigned URL of the blob that sets
 * Content-Disposition (attachment or inline with the asset's basename). Inline
 * video gets DANDI's small HTML <video> page instead of a redirect.
 */
export async function sendAssetDownload(req: Request, res: Response, asset: TAssetRecord): Promise<void> {
  const { content_disposition: disposition } = parseOrThrow(ZDownloadQuerySchema, req.query);
  if (!asset.blob) {
    throw ApiError.string(
      400,
      "Unable to provide download link for zarr assets. Please browse the zarr files directly to do so.",
    );
  }
  const encodingFormat = typeof asset.metadata.encodingFormat === "string" ? asset.metadata.encodingFormat : undefined;
  const contentType = encodingFormat ?? "application/octet-stream";
  const url = await req.deps.storage.presignGet(asset.blob.key, {
    filename: path.posix.basename(asset.path),
    disposition: disposition as "attachment" | "inline",
    contentType: disposition === "inline" ? contentType : undefined,
  });
  if (disposition === "inline" && contentType.startsWith("video/")) {
    res.type("html").send(`<video autoplay muted controls><source src="${escapeHtml(url)}"></video>`);
    return;
  }
  res.redirect(302, url);
}
