import { Prisma, type PrismaClient } from "@dandi/db";

/** Where outbox rows go: the JobsClient (its `enqueue` validates the payload against the job's schema). */
export interface OutboxQueue {
  enqueue(name: string, payload: unknown): Promise<unknown>;
}

export interface DrainOutboxOptions {
  db: PrismaClient;
  jobs: OutboxQueue;
  /** Only these rows (the caller's own, right after its commit); default: the oldest rows. */
  ids?: bigint[];
  /** At most this many rows per call. */
  limit?: number;
}

export interface TDrainOutboxResult {
  /** Rows queued and deleted. */
  queued: number;
  /** Rows left for a later drain (when the whole drain failed: the caller's `ids`, else 0). */
  failed: number;
  error?: string;
}

interface TOutboxRow {
  id: bigint;
  name: string;
  payload: unknown;
}

/**
 * Queues outbox rows to BullMQ and deletes them, in one transaction per call: the rows are
 * locked FOR UPDATE SKIP LOCKED (a concurrent drain takes other rows), so a row is deleted only
 * once its job is queued. If Redis is unreachable the first enqueue fails fast, the transaction
 * rolls back and every row stays for the next drain. Jobs have deterministic ids (or handlers
 * that claim their row by status), so a row queued twice, e.g. after a crash between the
 * enqueue and the commit, runs once. A row whose payload the job rejects (a schema change) is
 * kept, with its error and attempt count, for an admin to look at; it does not block the others.
 */
export async function drainOutbox(options: DrainOutboxOptions): Promise<TDrainOutboxResult> {
  const { db, jobs, ids, limit = 500 } = options;
  if (ids && ids.length === 0) return { queued: 0, failed: 0 };
  const rejected: { id: bigint; error: string }[] = [];
  let queued = 0;
  try {
    await db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<TOutboxRow[]>`
          SELECT id, name, payload FROM job_outbox
          WHERE ${ids ? Prisma.sql`id IN (${Prisma.join(ids)})` : Prisma.sql`TRUE`}
          ORDER BY attempts, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        const done: bigint[] = [];
        for (const row of rows) {
          try {
            await jobs.enqueue(row.name, row.payload);
            done.push(row.id);
          } catch (err) {
            if (!isPayloadError(err)) throw err;
            rejected.push({ id: row.id, error: describe(err) });
          }
        }
        if (done.length > 0) await tx.jobOutbox.deleteMany({ where: { id: { in: done } } });
        queued = done.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (err) {
    const error = describe(err);
    await recordFailure(db, ids, error);
    return { queued: 0, failed: ids?.length ?? 0, error };
  }
  for (const r of rejected) {
    await db.jobOutbox.update({ where: { id: r.id }, data: { attempts: { increment: 1 }, lastError: r.error } });
  }
  return { queued, failed: rejected.length, error: rejected[0]?.error };
}

/** A zod validation error or an unknown job name: retrying cannot help, other rows go on. */
function isPayloadError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === "ZodError" || err instanceof TypeError;
}

function describe(err: unknown): string {
  return String((err as Error)?.message ?? err).slice(0, 1000);
}

/** Best effort (the database may be what failed): counts the attempt on the caller's rows. */
async function recordFailure(db: PrismaClient, ids: bigint[] | undefined, error: string): Promise<void> {
  if (!ids) return;
  await db.jobOutbox
    .updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 }, lastError: error } })
    .catch(() => undefined);
}
