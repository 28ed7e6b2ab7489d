import type { PrismaClient } from "@dandi/db";
import type { ListedMultipartUpload, Storage } from "../storage/storage";
import { GarbageCollectionRun, pruneGarbageCollectionEvents } from "./garbage-collection-events";

/** Blobs (and the uploads that become them) live under this prefix; zarrs and manifests never do. */
export const BLOB_PREFIX = "blobs/";

/** Keys checked against the database per query, and objects listed per page. */
const PAGE = 1000;

export interface ReconcileStorageOptions {
  db: PrismaClient;
  storage: Pick<Storage, "listMultipartUploads" | "abortMultipartUpload" | "listObjects" | "deleteObjects">;
  /** Only multipart uploads started, and objects last written, longer ago than this are candidates. */
  graceSeconds: number;
  /** Report what would be removed, remove nothing, record nothing. */
  dryRun?: boolean;
  now?: Date;
}

export interface TReconcileReport {
  dryRun: boolean;
  /** Multipart uploads no upload row references (aborted, or to abort in a dry run). */
  multipartUploads: { key: string; uploadId: string; initiated: string }[];
  /** Objects no blob row or upload row references (deleted, or to delete in a dry run). */
  objects: { key: string; size: number; lastModified: string }[];
  /** Unreferenced uploads and objects left alone because they are younger than the grace period. */
  keptYoung: number;
}

/**
 * The storage reconciliation sweep: lists the bucket under the blob prefix
 * (multipart uploads in progress, and objects) against the database and
 * removes what nothing references, once older than the grace period. An
 * upload row references its multipart upload and its key (the object a
 * `complete` leaves before `validate`); a blob row references its key. Zarr
 * files (`zarr/`) and manifests (`dandisets/`) are outside the blob prefix and
 * never looked at. Every removal is recorded first, in one
 * garbage-collection event per kind ("MultipartUpload", "StorageObject"), with
 * the references re-checked in that transaction; a dry run only reports.
 * The leftovers come from DANDI-compatible paths that drop rows but not
 * objects (an upload cleared or a dandiset deleted by a failed cleanup, a
 * crash between storage and database).
 */
export async function reconcileStorage(options: ReconcileStorageOptions): Promise<TReconcileReport> {
  const { db, storage, graceSeconds, dryRun = false } = options;
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - graceSeconds * 1000);
  const report: TReconcileReport = { dryRun, multipartUploads: [], objects: [], keptYoung: 0 };

  // Multipart uploads in progress that no upload row knows.
  const uploads = await storage.listMultipartUploads(BLOB_PREFIX);
  const uploadRun = new GarbageCollectionRun("MultipartUpload");
  for (let i = 0; i < uploads.length; i += PAGE) {
    const page = uploads.slice(i, i + PAGE);
    const known = await referencedUploadIds(
      db,
      page.map((u) => u.uploadId),
    );
    const orphans: ListedMultipartUpload[] = [];
    for (const u of page) {
      if (known.has(u.uploadId)) continue;
      if (u.initiated >= cutoff) report.keptYoung += 1;
      else orphans.push(u);
    }
    if (!orphans.length) continue;
    if (dryRun) {
      report.multipartUploads.push(...orphans.map(presentUpload));
      continue;
    }
    const confirmed = await db.$transaction(async (tx) => {
      const still = await referencedUploadIds(
        tx,
        orphans.map((u) => u.uploadId),
      );
      const gone = orphans.filter((u) => !still.has(u.uploadId));
      const eventId = await uploadRun.recordMany(
        tx,
        gone.map((u) => ({ id: u.uploadId, key: u.key, initiated: u.initiated.toISOString() })),
      );
      return { gone, eventId };
    });
    if (confirmed.eventId !== null) uploadRun.committed(confirmed.eventId);
    for (const u of confirmed.gone) {
      await storage.abortMultipartUpload(u.key, u.uploadId);
      report.multipartUploads.push(presentUpload(u));
    }
  }

  // Objects that no blob row or upload row references.
  const objectRun = new GarbageCollectionRun("StorageObject");
  let startAfter: string | undefined;
  for (;;) {
    const { objects, isTruncated } = await storage.listObjects(BLOB_PREFIX, { startAfter, maxKeys: PAGE });
    if (!objects.length) break;
    startAfter = objects[objects.length - 1]!.key;
    const known = await referencedKeys(
      db,
      objects.map((o) => o.key),
    );
    const orphans = objects.filter((o) => {
      if (known.has(o.key)) return false;
      if (o.lastModified >= cutoff) {
        report.keptYoung += 1;
        return false;
      }
      return true;
    });
    if (orphans.length) {
      if (dryRun) {
        report.objects.push(...orphans.map(presentObject));
      } else {
        const confirmed = await db.$transaction(async (tx) => {
          const still = await referencedKeys(
            tx,
            orphans.map((o) => o.key),
          );
          const gone = orphans.filter((o) => !still.has(o.key));
          const eventId = await objectRun.recordMany(
            tx,
            gone.map((o) => ({ id: o.key, size: o.size, etag: o.etag, lastModified: o.lastModified.toISOString() })),
          );
          return { gone, eventId };
        });
        if (confirmed.eventId !== null) objectRun.committed(confirmed.eventId);
        await storage.deleteObjects(confirmed.gone.map((o) => o.key));
        report.objects.push(...confirmed.gone.map(presentObject));
      }
    }
    if (!isTruncated) break;
  }
  if (!dryRun) await pruneGarbageCollectionEvents(db, now);
  return report;
}

type TQueryDb = Pick<PrismaClient, "$queryRaw">;

async function referencedUploadIds(db: TQueryDb, ids: string[]): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT multipart_upload_id AS id FROM uploads WHERE multipart_upload_id = ANY (${ids}::text[])`;
  return new Set(rows.map((r) => r.id));
}

async function referencedKeys(db: TQueryDb, keys: string[]): Promise<Set<string>> {
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT key FROM asset_blobs WHERE key = ANY (${keys}::text[])
    UNION SELECT key FROM uploads WHERE key = ANY (${keys}::text[])`;
  return new Set(rows.map((r) => r.key));
}

function presentUpload(u: ListedMultipartUpload) {
  return { key: u.key, uploadId: u.uploadId, initiated: u.initiated.toISOString() };
}

function presentObject(o: { key: string; size: number; lastModified: Date }) {
  return { key: o.key, size: o.size, lastModified: o.lastModified.toISOString() };
}
