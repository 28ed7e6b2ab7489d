import type { Db } from "@dandi/db";

export interface TLoadedReadGrants {
  /** Dandisets the caller may read as a viewer or through a valid review link. */
  viewerOf: number[];
  /** The review links (of those asked) that are still valid: not revoked, not expired. */
  validLinkIds: number[];
}

/**
 * The read-only grants of a caller (the read policy's `TReadGrants`): the dandisets a user
 * views, and those of the review links held in the browser session that are still valid.
 * One statement; called once per authenticated request (and per request carrying review links).
 */
export async function loadReadGrants(
  db: Db,
  options: { userId?: number; reviewLinkIds?: readonly number[] },
): Promise<TLoadedReadGrants> {
  const userId = options.userId ?? -1;
  const linkIds = (options.reviewLinkIds ?? []).filter((id) => Number.isSafeInteger(id));
  const rows = await db.$queryRaw<{ dandiset_id: number; link_id: number | null }[]>`
    SELECT dandiset_id, NULL::int AS link_id FROM dandiset_viewers WHERE user_id = ${userId}
    UNION ALL
    SELECT dandiset_id, id AS link_id FROM review_links
    WHERE id = ANY(${linkIds}::int[]) AND revoked IS NULL AND expires > now()`;
  return {
    viewerOf: [...new Set(rows.map((r) => r.dandiset_id))],
    validLinkIds: rows.flatMap((r) => (r.link_id === null ? [] : [r.link_id])),
  };
}
