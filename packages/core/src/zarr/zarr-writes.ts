import { randomUUID } from "node:crypto";
import type { PrismaClient, User } from "@dandi/db";
import { Prisma } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { canReadDandiset, isOwner } from "../policies";
import { zarrKeyPrefix, type Storage } from "../storage/storage";
import { findZarr, isZarrEmbargoed, type TZarrRecord } from "./find-zarr";

/** DANDI's ZarrArchive.INGEST_ERROR_MSG (a bare-string 400). */
export const ZARR_INGEST_ERROR_MESSAGE = "Zarr archive is currently ingesting or has already ingested";

/** Writes wait on the zarr's row lock; a batch presigns or checks up to a few hundred keys. */
const ZARR_WRITE_TRANSACTION = { maxWait: 15_000, timeout: 60_000 } as const;

/** DANDI's mark_pending: the files may have changed, so the ingest results are void. */
const MARK_PENDING = { status: "Pending", checksum: null, fileCount: 0n, size: 0n } as const;

/** 403 unless the caller owns the zarr's dandiset (admins do). */
function assertZarrOwner(zarr: TZarrRecord, user: User): void {
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

export interface CreateZarrOptions {
  user: User;
  dandisetId: number;
  name: string;
}

/**
 * DANDI's zarr create: the dandiset must be visible (else 400 as an unknown pk),
 * owned (403) and not unembargoing (400); a (dandiset, name) pair is unique
 * (400 non_field_errors). Writes a `create_zarr` audit record.
 */
export async function createZarr(db: PrismaClient, options: CreateZarrOptions): Promise<TZarrRecord> {
  const { user, dandisetId, name } = options;
  const dandiset = await db.dandiset.findUnique({
    where: { id: dandisetId },
    include: { owners: { select: { userId: true } } },
  });
  const ownerIds = dandiset?.owners.map((o) => o.userId) ?? [];
  if (!dandiset || !canReadDandiset(user, dandiset, ownerIds)) {
    throw ApiError.fields({ dandiset: [`Invalid pk "${dandisetId}" - object does not exist.`] });
  }
  if (!isOwner(user, ownerIds)) throw ApiError.forbidden();
  if (dandiset.embargoStatus === "UNEMBARGOING") {
    throw ApiError.string(400, "Cannot add zarr to dandiset during unembargo");
  }
  const uniqueError = () =>
    ApiError.fields({ non_field_errors: ["The fields dandiset, name must make a unique set."] });
  if (await db.zarrArchive.findUnique({ where: { dandisetId_name: { dandisetId, name } }, select: { id: true } })) {
    throw uniqueError();
  }
  try {
    const zarr = await db.$transaction(async (tx) => {
      const created = await tx.zarrArchive.create({ data: { zarrId: randomUUID(), dandisetId, name } });
      await writeAuditRecord(tx, {
        dandisetId,
        user,
        recordType: "create_zarr",
        details: { zarr_id: created.zarrId, name },
      });
      return created;
    });
    return { ...zarr, embargoStatus: dandiset.embargoStatus, ownerIds };
  } catch (err) {
    // Two creates of one name at once: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw uniqueError();
    throw err;
  }
}

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
    await tx.zarrArchive.update({ where: { id: zarr.id }, data: { ...MARK_PENDING, modified: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId: zarr.dandisetId,
      user,
      recordType: "upload_zarr_chunks",
      details: { zarr_id: zarr.zarrId, paths: files.map((f) => f.path) },
    });
    return urls;
  }, ZARR_WRITE_TRANSACTION);
}

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
    await tx.zarrArchive.update({ where: { id: zarr.id }, data: { ...MARK_PENDING, modified: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId: zarr.dandisetId,
      user,
      recordType: "delete_zarr_chunks",
      details: { zarr_id: zarr.zarrId, paths },
    });
  }, ZARR_WRITE_TRANSACTION);
}

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
