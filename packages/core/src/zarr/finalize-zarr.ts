import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { addOutboxJob } from "../outbox/add-outbox-job";
import { assertZarrOwner, ZARR_INGEST_ERROR_MESSAGE, ZARR_WRITE_TRANSACTION } from "./assert-zarr-files-writable";
import { findZarr, type TZarrRecord } from "./find-zarr";

/**
 * DANDI's finalize: Pending -> Uploaded (else 400), 403 for non-owners, audit
 * `finalize_zarr`, and the ingestZarrArchive job recorded in the outbox in the same
 * transaction (so a zarr is never Uploaded without its job): the caller drains `outboxIds`
 * after the commit.
 */
export async function finalizeZarr(
  db: PrismaClient,
  options: { user: User; zarrId: string },
): Promise<TZarrRecord & { outboxIds: bigint[] }> {
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
    const outboxId = await addOutboxJob(tx, "ingestZarrArchive", { zarrId: zarr.zarrId });
    return { ...zarr, status: "Uploaded", outboxIds: [outboxId] };
  }, ZARR_WRITE_TRANSACTION);
}
