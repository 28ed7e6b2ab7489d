import type { ApplicationStats, Db } from "@dandi/db";

/** The most recent ApplicationStats row, or null before the first computation. */
export async function getLatestApplicationStats(db: Db): Promise<ApplicationStats | null> {
  return db.applicationStats.findFirst({ orderBy: [{ timestamp: "desc" }, { id: "desc" }] });
}
