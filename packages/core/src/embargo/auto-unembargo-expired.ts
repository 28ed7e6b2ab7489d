import type { PrismaClient } from "@dandi/db";

export interface AutoUnembargoExpiredOptions {
  prisma: PrismaClient;
  /** Runs (or enqueues) `unembargoDandiset` for one dandiset already set to UNEMBARGOING. */
  unembargo: (dandisetId: number) => Promise<unknown>;
  now?: Date;
  /** An UNEMBARGOING dandiset untouched for this long is resumed (its run was lost, e.g. a restart). */
  stuckAfterMs?: number;
}

/**
 * Daily sweep: every EMBARGOED dandiset whose embargo_end_date has passed and
 * that has no active uploads is set to UNEMBARGOING and handed to `unembargo`
 * one by one (a worker passes a function that enqueues one job per dandiset).
 * Dandisets stuck in UNEMBARGOING (no change for `stuckAfterMs`, default 1 h)
 * are handed over again, since `unembargoDandiset` is safe to run twice.
 * Returns the ids that were started or resumed.
 */
export async function autoUnembargoExpired(options: AutoUnembargoExpiredOptions): Promise<number[]> {
  const { prisma, unembargo, now = new Date(), stuckAfterMs = 3600_000 } = options;
  const startOfToday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const expired = await prisma.dandiset.findMany({
    where: { embargoStatus: "EMBARGOED", embargoEndDate: { lt: startOfToday }, uploads: { none: {} } },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const started: number[] = [];
  for (const { id } of expired) {
    const { count } = await prisma.dandiset.updateMany({
      where: { id, embargoStatus: "EMBARGOED" },
      data: { embargoStatus: "UNEMBARGOING" },
    });
    if (count === 0) continue;
    started.push(id);
    await unembargo(id);
  }
  const stuck = await prisma.dandiset.findMany({
    where: {
      embargoStatus: "UNEMBARGOING",
      modified: { lt: new Date(now.getTime() - stuckAfterMs) },
      uploads: { none: {} },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  for (const { id } of stuck) {
    if (started.includes(id)) continue;
    started.push(id);
    await unembargo(id);
  }
  return started;
}
