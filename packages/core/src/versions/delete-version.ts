import type { Db, User } from "@dandi/db";
import { ApiError } from "../errors";
import { isAdmin } from "../policies";

export interface DeleteVersionOptions {
  db: Db;
  user: User;
  versionId: number;
  version: string;
}

/**
 * DANDI's version DELETE: drafts never; published versions by superusers only.
 * Returns the deleted version's DOI (the caller queues the DOI clean-up).
 */
export async function deleteVersion({ db, user, versionId, version }: DeleteVersionOptions): Promise<string | null> {
  if (version === "draft") throw ApiError.string(403, "Cannot delete draft versions");
  if (!isAdmin(user)) throw ApiError.string(403, "Cannot delete published versions");
  const deleted = await db.version.delete({ where: { id: versionId }, select: { doi: true } });
  return deleted.doi;
}
