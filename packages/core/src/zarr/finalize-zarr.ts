import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { assertZarrOwner, ZARR_INGEST_ERROR_MESSAGE, ZARR_WRITE_TRANSACTION } from "./assert-zarr-files-writable";
import { findZarr, type TZarrRecord } from "./find-zarr";

/**
 * DANDI's finalize: Pending -> Uploaded (else 400), 403 for non-owners, audit
 * `finalize_zarr`. The caller queues ingestZarrArchive after this commits, and
 * calls revertZarrFinalize if it cannot.
 */
export async function finalizeZarr(db: PrismaClient, options: { user: User; zarrId: string }): Promise<TZarrRecord> {
  const { user } = options;
  return db.$transaction(async (tx) => {
    const zarr = await findZarr(tx, options.zarrId, user, { forUpdate: true });
    assertZarrOwner(zarr, user);
    if (zarr.status !== "Pending") throw ApiError.string(400, ZARR_INGEST_ERROR_MESSAGE);
    await tx.zarrArchive.update({ where: { id: zarr.id }, data: { status: "Uploaded", modified: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId: zarr.dandisetId,
      user,
      recordType: "finalize_zarr",
      details: { zarr_id: zarr.zarrId },
    });
    return { ...zarr, status: "Uploaded" };
  }, ZARR_WRITE_TRANSACTION);
}

/** Puts a finalized zarr whose ingest could not be queued back to Pending, so that finalize can be retried. */
export async function revertZarrFinalize(db: PrismaClient, zarrId: string): Promise<void> {
  await db.zarrArchive.updateMany({ where: { zarrId, status: "Uploaded" }, data: { status: "Pending" } });
}
