import type { Request } from "express";
import { drainOutbox } from "@dandi/core";

/**
 * After a core function committed a state change with its jobs in the outbox: queues those
 * jobs now. Never throws: the change stands, and when Redis is unreachable (the enqueue fails
 * fast) the rows stay in the outbox for the worker's drainJobOutbox sweep.
 */
export async function drainAfterCommit(req: Request, outboxIds: bigint[]): Promise<void> {
  const result = await drainOutbox({ db: req.deps.prisma, jobs: req.deps.jobs, ids: outboxIds });
  if (result.error) {
    req.log.warn(
      { outboxIds: outboxIds.map(String), err: result.error },
      "jobs left in the outbox for the worker's sweep",
    );
  }
}
