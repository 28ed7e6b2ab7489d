import type { Db } from "@dandi/db";

/** How long garbage-collection records are kept (DANDI's RESTORATION_WINDOW). */
export const GC_RESTORATION_WINDOW_SECONDS = 30 * 24 * 3600;

/** Rows (AssetBlob, Upload), or what the storage reconciliation removed from the bucket. */
export type TGarbageCollectedModel = "AssetBlob" | "Upload" | "StorageObject" | "MultipartUpload";

/**
 * One garbage-collection run's event, created with the run's first deletion
 * (inside that deletion's transaction), so a run that deletes nothing leaves
 * no event. Every deletion then adds its row to it.
 */
export class GarbageCollectionRun {
  private eventId: number | null = null;

  constructor(readonly model: TGarbageCollectedModel) {}

  /**
   * Records a row about to be deleted, as {model, pk, fields} JSON (the row's
   * columns but its id), in the deleting transaction. Call `committed` once
   * that transaction has committed.
   */
  async record(tx: Db, row: { id: bigint | number | string } & Record<string, unknown>): Promise<number> {
    const eventId = this.eventId ?? (await createEvent(tx, this.model));
    const { id, ...fields } = row;
    await tx.garbageCollectionEventRecord.create({
      data: { eventId, record: JSON.parse(JSON.stringify({ model: this.model, pk: id, fields }, bigintToString)) },
    });
    return eventId;
  }

  /** `record` for several rows in one transaction (one event); null when `rows` is empty. */
  async recordMany(
    tx: Db,
    rows: ({ id: bigint | number | string } & Record<string, unknown>)[],
  ): Promise<number | null> {
    let eventId: number | null = this.eventId;
    for (const row of rows) {
      const { id, ...fields } = row;
      eventId ??= await createEvent(tx, this.model);
      await tx.garbageCollectionEventRecord.create({
        data: { eventId, record: JSON.parse(JSON.stringify({ model: this.model, pk: id, fields }, bigintToString)) },
      });
    }
    return eventId;
  }

  /** The event id returned by `record`, once its transaction has committed. */
  committed(eventId: number): void {
    this.eventId = eventId;
  }
}

async function createEvent(tx: Db, model: TGarbageCollectedModel): Promise<number> {
  return (await tx.garbageCollectionEvent.create({ data: { type: model } })).id;
}

function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Deletes the events (and, by cascade, their records) older than the restoration window. */
export async function pruneGarbageCollectionEvents(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - GC_RESTORATION_WINDOW_SECONDS * 1000);
  return (await db.garbageCollectionEvent.deleteMany({ where: { timestamp: { lt: cutoff } } })).count;
}
