import type { PrismaClient } from "@dandi/db";

export interface TStalePublishingDraft {
  dandisetId: number;
  /** An owner to publish as when the original job (and its user id) is gone. */
  ownerId: number | null;
}

/**
 * Drafts Publishing for longer than `olderThanSeconds` with no publishDandiset job waiting in
 * the outbox: their job was lost (Redis lost its data) or failed for good (e.g. every attempt
 * fell into a PostgreSQL outage), so the draft would stay Publishing for ever (423 on publish,
 * 403 on delete). The caller re-queues them; a job still queued or running makes that a no-op.
 */
export async function findStalePublishingDrafts(
  db: PrismaClient,
  olderThanSeconds: number,
): Promise<TStalePublishingDraft[]> {
  const cutoff = new Date(Date.now() - olderThanSeconds * 1000);
  const rows = await db.$queryRaw<{ dandiset_id: number; owner_id: number | null }[]>`
    SELECT v.dandiset_id,
           (SELECT min(o.user_id) FROM dandiset_owners o WHERE o.dandiset_id = v.dandiset_id) AS owner_id
    FROM versions v
    WHERE v.version = 'draft' AND v.status = 'Publishing' AND v.modified < ${cutoff}
      AND NOT EXISTS (
        SELECT 1 FROM job_outbox j
        WHERE j.name = 'publishDandiset' AND j.payload->>'dandisetId' = v.dandiset_id::text)
    ORDER BY v.dandiset_id`;
  return rows.map((r) => ({ dandisetId: r.dandiset_id, ownerId: r.owner_id }));
}
