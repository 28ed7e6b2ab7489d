import type { PrismaClient } from "@dandi/db";
import { aggregateAssetsSummary } from "../publish/aggregate-assets-summary";

export type TUpdateDraftAssetsSummaryResult =
  | { status: "updated"; assetsSummary: Record<string, unknown> }
  | { status: "skipped"; reason: string }
  /** The draft changed while the summary was computed; run again. */
  | { status: "conflict" };

/**
 * DANDI's aggregate_assets_summary_task: recomputes a draft's
 * metadata.assetsSummary (bytes, files, subjects, species, approaches,
 * techniques, variables, data standards) from its Valid assets (as DANDI:
 * Pending, Validating and Invalid ones are left out) and stores it,
 * touching nothing else in the metadata. No lock is held while aggregating
 * (uploads to the draft go on): the summary is written only if the draft row
 * was not updated since it was read (its `xmin`, which every asset write and
 * metadata save changes, as they update the row's counters or metadata), else
 * "conflict", so a summary never overwrites a newer state. Published versions
 * are never touched.
 */
export async function updateDraftAssetsSummary(
  db: PrismaClient,
  versionId: number,
): Promise<TUpdateDraftAssetsSummaryResult> {
  const [version] = await db.$queryRaw<{ version: string; rowVersion: string }[]>`
    SELECT version, xmin::text AS "rowVersion" FROM versions WHERE id = ${versionId}`;
  if (!version) return { status: "skipped", reason: "version not found" };
  if (version.version !== "draft") return { status: "skipped", reason: "not a draft" };
  const assetsSummary = await aggregateAssetsSummary(db, versionId, { validOnly: true });
  const updated = await db.$executeRaw`
    UPDATE versions
    SET metadata = jsonb_set(metadata, '{assetsSummary}', ${JSON.stringify(assetsSummary)}::jsonb), modified = now()
    WHERE id = ${versionId} AND version = 'draft' AND xmin::text = ${version.rowVersion}`;
  return updated === 1 ? { status: "updated", assetsSummary } : { status: "conflict" };
}
