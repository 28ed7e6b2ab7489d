import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Router, type Request } from "express";
import { z } from "zod";
import { ZipArchive } from "archiver";
import { deleteAssetPaths, formatContentDisposition, listZipEntries, moveAssetPaths } from "@dandi/core";
import { json, jsonBody, registry } from "../../openapi";
import { parseOrThrow } from "../../lib/validate";
import { drainAfterCommit } from "../../lib/drain-after-commit";
import { loadVersion, loadWritableVersion } from "../assets/asset-params";

/**
 * File management of a draft's folder tree, an extension of DANDI's API (DANDI
 * has no such routes; `dandi move` PUTs each asset): move/rename and delete a
 * file or a whole folder in one request and one transaction, and download a
 * folder as one zip streamed from storage.
 */

const BASE = "/dandisets/:dandisetId/versions/:version/assets/paths";
const DOC_BASE = "/api/dandisets/{dandiset_id}/versions/{version}/assets/paths";

const ZPathField = z.string().min(1).max(1024);
export const ZMovePathsSchema = z
  .object({
    source: ZPathField.openapi({ description: "The file or folder to move", example: "sub-01/old.nwb" }),
    destination: ZPathField.openapi({
      description: "Its new full path; missing folders are created",
      example: "sub-02/new.nwb",
    }),
  })
  .strict();
export const ZDeletePathsSchema = z
  .object({ path: ZPathField.openapi({ description: "The file or folder to delete", example: "sub-01" }) })
  .strict();
const ZManagedPathsSchema = registry.register(
  "ManagedPaths",
  z.object({
    count: z.number().int().openapi({ description: "Assets moved or deleted" }),
    size: z.number().int().openapi({ description: "Their total size in bytes" }),
  }),
);
const ZZipQuerySchema = z.object({
  path: z.string().max(1024).default("").openapi({ description: "Folder (or file) to download; empty: the version" }),
});

const WRITE_RESPONSES = {
  200: json("What was changed", ZManagedPathsSchema),
  404: { description: "No file or folder at the path" },
  405: { description: "Only the draft can be modified" },
};

registry.registerPath({
  method: "post",
  path: `${DOC_BASE}/move/`,
  summary: "Move or rename a file or a folder of the draft (extension; one transaction)",
  description:
    "Every file at or below `source` becomes a new asset (same blob, same metadata) at the " +
    "corresponding path below `destination`. 409 when something exists at `destination`.",
  request: { body: jsonBody(ZMovePathsSchema) },
  responses: { ...WRITE_RESPONSES, 409: { description: "A file or folder exists at the destination" } },
});
registry.registerPath({
  method: "post",
  path: `${DOC_BASE}/delete/`,
  summary: "Delete a file or a folder of the draft with everything below it (extension; one transaction)",
  request: { body: jsonBody(ZDeletePathsSchema) },
  responses: WRITE_RESPONSES,
});
registry.registerPath({
  method: "get",
  path: `${DOC_BASE}/zip/`,
  summary: "Download a folder (or the whole version) as one zip (extension)",
  description: "Capped by ZIP_MAX_FILES and ZIP_MAX_BYTES; Zarr archives are refused (400).",
  request: { query: ZZipQuerySchema },
  responses: {
    200: { description: "The zip, streamed", content: { "application/zip": { schema: z.string() } } },
    404: { description: "No file or folder at the path" },
  },
});

/** Toward the sum of sizes on the wire: a JS number is exact up to 2^53 bytes. */
const toNumber = (n: bigint) => Number(n);

/** The name of the zip: the dandiset, the version and the folder's name. */
function zipName(req: Request, folder: string): string {
  const { dandisetId, version } = req.params as Record<string, string>;
  return `${dandisetId}-${version}${folder ? `-${path.posix.basename(folder)}` : ""}.zip`;
}

export function assetPathsRouter(): Router {
  const router = Router();

  router.post(`${BASE}/move/`, async (req, res) => {
    const version = await loadWritableVersion(req);
    const body = parseOrThrow(ZMovePathsSchema, req.body);
    const result = await moveAssetPaths(req.deps.prisma, { user: req.user!, version, ...body });
    await drainAfterCommit(req, result.outboxIds);
    res.json({ count: result.count, size: toNumber(result.size) });
  });

  router.post(`${BASE}/delete/`, async (req, res) => {
    const version = await loadWritableVersion(req);
    const body = parseOrThrow(ZDeletePathsSchema, req.body);
    const result = await deleteAssetPaths(req.deps.prisma, { user: req.user!, version, path: body.path });
    await drainAfterCommit(req, result.outboxIds);
    res.json({ count: result.count, size: toNumber(result.size) });
  });

  router.get(`${BASE}/zip/`, async (req, res) => {
    const version = await loadVersion(req);
    const query = parseOrThrow(ZZipQuerySchema, req.query);
    const { config, storage } = req.deps;
    const entries = await listZipEntries(req.deps.prisma, {
      versionId: version.id,
      path: query.path,
      maxFiles: config.ZIP_MAX_FILES,
      maxBytes: config.ZIP_MAX_BYTES,
    });
    const folder = query.path.replace(/\/+$/, "");
    // Names inside the zip start at the folder itself ("sub-01/x.nwb"), as a downloaded folder.
    const strip = folder.includes("/") ? folder.slice(0, folder.lastIndexOf("/") + 1).length : 0;
    res.status(200);
    res.setHeader("Content-Type", "application/zip");
    res.setHeader("Content-Disposition", formatContentDisposition(zipName(req, folder)));
    res.setHeader("Cache-Control", "private, no-store");
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    // Stored entries (NWB files are compressed HDF5 already): no CPU spent recompressing.
    const archive = new ZipArchive({ store: true });
    const piped = pipeline(archive, res);
    // Handled from the start: a client leaving while a blob is opened must not be an unhandled rejection.
    piped.catch(() => undefined);
    /** Resolves when the entry being appended is written; rejects on an archive or a response error. */
    const entryWritten = () =>
      Promise.race([
        new Promise<void>((resolve, reject) => {
          const onEntry = () => {
            archive.off("error", onError);
            resolve();
          };
          const onError = (err: Error) => {
            archive.off("entry", onEntry);
            reject(err);
          };
          archive.once("entry", onEntry);
          archive.once("error", onError);
        }),
        // The client went away (or the socket failed): stop reading blobs.
        piped.then(() => Promise.reject(new Error("the response ended early"))),
      ]);
    let body: Readable | null = null;
    try {
      // One blob at a time: the next object is opened once the previous entry is written.
      for (const entry of entries) {
        body = await storage.getObjectStream(entry.key);
        const written = entryWritten();
        archive.append(body, { name: entry.path.slice(strip), store: true });
        await written;
      }
      body = null;
      await archive.finalize();
      await piped;
    } catch (err) {
      // The status and part of the body are sent: cut the response so the client sees a broken download.
      req.log.warn({ err, versionId: version.id, path: folder }, "zip download aborted");
      body?.destroy();
      archive.abort();
      res.destroy();
      await piped.catch(() => undefined);
    }
  });

  return router;
}
