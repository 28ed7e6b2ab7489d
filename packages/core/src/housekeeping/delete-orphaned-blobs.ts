import type { PrismaClient } from "@dandi/db";
import type { Storage } from "../storage/storage";
import { GarbageCollectionRun, pruneGarbageCollectionEvents } from "./garbage-collection-events";

export interface DeleteOrphanedBlobsOptions {
  db: PrismaClient;
  storage: Pick<Storage, "deleteObject">;
  /** Only blobs created longer ago than this are candidates (a client may be about to reference a new blob). */
  graceSeconds: number;
  limit?: number;
  now?: Date;
}

/**
 * DANDI's blob garbage collection: deletes blobs that no asset references
 * (published or not) once they are older than the grace period, row first and
 * then the storage object. Each blob is re-checked under a row lock, so one
 * that an asset started to reference in the meantime is kept. As DANDI, each
 * deleted row is kept as a garbage-collection record of the run's event
 * (restorable for 30 days; older events are pruned here).
 */
export async function deleteOrphanedBlobs(options: DeleteOrphanedBlobsOptions): Promise<string[]> {
  const { db, storage, graceSeconds, limit = 1000 } = options;
  const cutoff = new Date((options.now ?? new Date()).getTime() - graceSeconds * 1000);
  const candidates = await db.$queryRaw<{ id: bigint }[]>`
    SELECT b.id FROM asset_blobs b
    WHERE b.created < ${cutoff} AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.blob_id = b.id)
    ORDER BY b.id LIMIT ${limit}`;
  const run = new GarbageCollectionRun("AssetBlob");
  const deleted: string[] = [];
  for (const { id } of candidates) {
    const done = await db.$transaction(async (tx) => {
      const [row] = await tx.$queryRaw<({ id: bigint; key: string } & Record<string, unknown>)[]>`
        SELECT b.* FROM asset_blobs b
        WHERE b.id = ${id} AND b.created < ${cutoff} AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.blob_id = b.id)
        FOR UPDATE`;
      if (!row) return null;
      const eventId = await run.record(tx, row);
      await tx.$executeRaw`DELETE FROM asset_blobs WHERE id = ${id}`;
      return { key: row.key, eventId };
    });
    if (done === null) continue;
    run.committed(done.eventId);
    await storage.deleteObject(done.key);
    deleted.push(done.key);
  }
  await pruneGarbageCollectionEvents(db, options.now);
  return deleted;
}
