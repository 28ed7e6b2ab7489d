import type { User } from "@dandi/db";
import { ApiError } from "../errors";
import { isOwner } from "../policies";
import type { TZarrRecord } from "./find-zarr";

/** DANDI's ZarrArchive.INGEST_ERROR_MSG (a bare-string 400). */
export const ZARR_INGEST_ERROR_MESSAGE = "Zarr archive is currently ingesting or has already ingested";

/** Writes wait on the zarr's row lock; a batch presigns or checks up to a few hundred keys. */
export const ZARR_WRITE_TRANSACTION = { maxWait: 15_000, timeout: 60_000 } as const;

/** DANDI's mark_pending: the files may have changed, so the ingest results are void. */
export const ZARR_PENDING_RESET = { status: "Pending", checksum: null, fileCount: 0n, size: 0n } as const;

/** 403 unless the caller owns the zarr's dandiset (admins do). */
export function assertZarrOwner(zarr: TZarrRecord, user: User): void {
  if (!isOwner(user, zarr.ownerIds)) throw ApiError.forbidden();
}

/**
 * DANDI's checks before a file upload or delete, in its order: 400 while the
 * zarr waits for or runs its ingest, then 403 for non-owners. Routes call it
 * before reading the body too, so that a non-owner learns nothing from it.
 */
export function assertZarrFilesWritable(zarr: TZarrRecord, user: User): void {
  if (zarr.status === "Uploaded" || zarr.status === "Ingesting") throw ApiError.string(400, ZARR_INGEST_ERROR_MESSAGE);
  assertZarrOwner(zarr, user);
}
