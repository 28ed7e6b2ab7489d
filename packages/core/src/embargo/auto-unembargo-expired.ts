import type { PrismaClient } from "@dandi/db";

export interface AutoUnembargoExpiredOptions {
  prisma: PrismaClient;
  /** Runs (or enqueues) `unembargoDandiset` for one dandiset already set to UNEMBARGOING. */
  unembargo: (dandisetId: number) => Promise<unknown>;
  now?: Date;
}

/**
 * Daily sweep: every EMBARGOED dandiset whose embargo_end_date has passed and
 * that has no active uploads is set to UNEMBARGOING and handed to `unembargo`
 * one by one (a worker passes a function that enqueues one job per dandiset).
 * Returns the ids that were started.
 */
export async function autoUnembargoExpired({
  prisma,
  unembargo,
  now = new Date(),
}: AutoUnembargoExpiredOptions): Promise<number[]> {
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
  return started;
}
