import type { Db } from "@dandi/db";
import { ApiError } from "../errors";

/**
 * Locks the version row for the rest of the transaction. Every asset write of a
 * version takes this lock first, so path checks, the folder tree and the
 * version's asset_count/size are changed by one writer at a time and stay exact.
 */
export async function lockDraftVersion(tx: Db, versionId: number): Promise<void> {
  const rows = await tx.$queryRaw<{ version: string }[]>`
    SELECT version FROM versions WHERE id = ${versionId} FOR UPDATE`;
  if (rows.length === 0) throw ApiError.notFound();
  if (rows[0]!.version !== "draft") throw ApiError.string(405, "Only draft versions can be modified.");
}
