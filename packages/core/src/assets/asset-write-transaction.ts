import type { TAssetRecord } from "./asset-record";

/**
 * Options of the asset write transactions. Writers of one draft queue on its
 * version row lock while holding a pooled connection, so under bursts (the CLI
 * uploads with 5 threads, several clients at once) waiting for a connection or
 * for the lock can take longer than Prisma's defaults (2 s / 5 s).
 */
export const ASSET_WRITE_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;

/** What an asset add or update returns. */
export interface TAssetWriteResult {
  asset: TAssetRecord;
  /**
   * Storage key of an embargoed blob that this write released (added to an OPEN
   * dandiset): its embargoed=true object tag must now be removed.
   */
  releasedBlobKey: string | null;
}
