import type { PrismaClient } from "@dandi/db";

export interface SweepValidationOptions {
  db: PrismaClient;
  /** Items in Validating for longer than this are considered abandoned (a worker died). */
  stuckAfterSeconds: number;
  /** At most this many assets per sweep; the next sweep picks up the rest. */
  assetLimit?: number;
}

export interface TSweepValidationResult {
  versionIds: number[];
  assetIds: bigint[];
  /** Blobs still without a SHA-256 long after their upload, that Pending assets wait for. */
  unhashedBlobIds: bigint[];
  /** Zarrs (public ids) finalized or ingesting for longer than the stuck delay: their ingest job was lost or failed. */
  uningestedZarrIds: string[];
  requeued: number;
}

/**
 * DANDI's validate_draft_version_metadata + validate_pending_asset_metadata
 * sweeps: finds Pending drafts, Pending blob assets whose blob has a SHA-256 and
 * Pending zarr assets whose zarr is ingested (Complete), and returns them for
 * fan-out. Items stuck in Validating are put back to Pending first.
 * Blobs that Pending assets use but that still have no SHA-256 after the stuck
 * delay (their checksum job was lost) are returned too, to be hashed again,
 * and so are zarrs stuck Uploaded or Ingesting (their `modified` is bumped, so
 * a zarr is handed out again only after another stuck delay).
 */
export async function sweepValidation(options: SweepValidationOptions): Promise<TSweepValidationResult> {
  const { db, stuckAfterSeconds, assetLimit = 10_000 } = options;
  const cutoff = new Date(Date.now() - stuckAfterSeconds * 1000);
  const [a, v] = await Promise.all([
    db.asset.updateMany({ where: { status: "Validating", modified: { lt: cutoff } }, data: { status: "Pending" } }),
    db.version.updateMany({
      where: { version: "draft", status: "Validating", modified: { lt: cutoff } },
      data: { status: "Pending" },
    }),
  ]);
  const versions = await db.version.findMany({
    where: { version: "draft", status: "Pending" },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const assets = await db.asset.findMany({
    where: { status: "Pending", OR: [{ blob: { sha256: { not: null } } }, { zarr: { status: "Complete" } }] },
    select: { id: true },
    orderBy: { id: "asc" },
    take: assetLimit,
  });
  const unhashed = await db.assetBlob.findMany({
    where: { sha256: null, created: { lt: cutoff }, assets: { some: { status: "Pending" } } },
    select: { id: true },
    orderBy: { id: "asc" },
    take: assetLimit,
  });
  const uningested = await db.$queryRaw<{ zarr_id: string }[]>`
    UPDATE zarr_archives SET modified = now()
    WHERE id IN (
      SELECT id FROM zarr_archives WHERE status IN ('Uploaded', 'Ingesting') AND modified < ${cutoff}
      ORDER BY id LIMIT ${assetLimit})
    RETURNING zarr_id::text`;
  return {
    versionIds: versions.map((x) => x.id),
    assetIds: assets.map((x) => x.id),
    unhashedBlobIds: unhashed.map((x) => x.id),
    uningestedZarrIds: uningested.map((x) => x.zarr_id),
    requeued: a.count + v.count,
  };
}
