import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { zarrKeyPrefix, type Storage } from "../storage/storage";
import { assertZarrFilesWritable, ZARR_PENDING_RESET, ZARR_WRITE_TRANSACTION } from "./assert-zarr-files-writable";
import { findZarr } from "./find-zarr";

export interface DeleteZarrFilesOptions {
  storage: Storage;
  user: User;
  zarrId: string;
  /** Validated paths (zarrPathError). */
  paths: string[];
}

/**
 * DANDI's zarr file delete: every file must exist (else 400
 * ["File zarr/<id>/<path> does not exist."] and nothing is deleted), then they
 * are deleted and the zarr goes back to Pending. Audit `delete_zarr_chunks`.
 */
export async function deleteZarrFiles(db: PrismaClient, options: DeleteZarrFilesOptions): Promise<void> {
  const { storage, user, paths } = options;
  await db.$transaction(async (tx) => {
    const zarr = await findZarr(tx, options.zarrId, user, { forUpdate: true });
    assertZarrFilesWritable(zarr, user);
    const keys = paths.map((p) => zarrKeyPrefix(zarr.zarrId) + p);
    const found = await Promise.all(keys.map((k) => storage.headObject(k)));
    const missing = found.findIndex((f) => f === null);
    if (missing >= 0) throw ApiError.list([`File ${keys[missing]} does not exist.`]);
    await storage.deleteObjects(keys);
    await tx.zarrArchive.update({ where: { id: zarr.id }, data: { ...ZARR_PENDING_RESET, modified: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId: zarr.dandisetId,
      user,
      recordType: "delete_zarr_chunks",
      details: { zarr_id: zarr.zarrId, paths },
    });
  }, ZARR_WRITE_TRANSACTION);
}
