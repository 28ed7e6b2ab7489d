import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { zarrKeyPrefix, type Storage } from "../storage/storage";
import { assertZarrFilesWritable, ZARR_PENDING_RESET, ZARR_WRITE_TRANSACTION } from "./assert-zarr-files-writable";
import { findZarr, isZarrEmbargoed } from "./find-zarr";

export interface UploadZarrFilesOptions {
  storage: Storage;
  user: User;
  zarrId: string;
  /** Validated paths (zarrPathError) and base64 md5s. */
  files: { path: string; base64md5: string }[];
}

/**
 * DANDI's zarr file upload request: one presigned PUT URL per file, signed with
 * its Content-MD5 (and the embargoed=true tag for an embargoed dandiset), in
 * the request's order. The zarr goes back to Pending (its ingest is void).
 * 400 while Uploaded/Ingesting, 403 for non-owners. Audit `upload_zarr_chunks`.
 */
export async function uploadZarrFiles(db: PrismaClient, options: UploadZarrFilesOptions): Promise<string[]> {
  const { storage, user, files } = options;
  return db.$transaction(async (tx) => {
    const zarr = await findZarr(tx, options.zarrId, user, { forUpdate: true });
    assertZarrFilesWritable(zarr, user);
    const prefix = zarrKeyPrefix(zarr.zarrId);
    const embargoed = isZarrEmbargoed(zarr);
    const urls = await Promise.all(
      files.map((f) => storage.presignPutObject(prefix + f.path, { contentMd5: f.base64md5, embargoed })),
    );
    await tx.zarrArchive.update({ where: { id: zarr.id }, data: { ...ZARR_PENDING_RESET, modified: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId: zarr.dandisetId,
      user,
      recordType: "upload_zarr_chunks",
      details: { zarr_id: zarr.zarrId, paths: files.map((f) => f.path) },
    });
    return urls;
  }, ZARR_WRITE_TRANSACTION);
}
