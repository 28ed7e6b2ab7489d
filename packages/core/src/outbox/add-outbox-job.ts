import type { Prisma } from "@dandi/db";

/**
 * Records, inside the caller's transaction, a job that the state change being committed hands
 * to a worker (e.g. publishDandiset for a draft set Publishing). The row commits or rolls back
 * with that change; `drainOutbox` queues it to BullMQ after the commit, and the worker's
 * drainJobOutbox sweep does for rows an API process could not queue (Redis down, a crash).
 * Returns the row id, for the caller's post-commit drain.
 */
export async function addOutboxJob(
  tx: Prisma.TransactionClient,
  name: string,
  payload: Prisma.InputJsonObject,
): Promise<bigint> {
  const row = await tx.jobOutbox.create({ data: { name, payload }, select: { id: true } });
  return row.id;
}
