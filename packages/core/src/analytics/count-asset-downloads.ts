import type { Db } from "@dandi/db";

/** Downloads of an asset: its blob's count from the S3 access logs (0 without a blob). */
export async function countAssetDownloads(db: Db, blobPk: bigint | null): Promise<number> {
  if (blobPk === null) return 0;
  const blob = await db.assetBlob.findUnique({ where: { id: blobPk }, select: { downloadCount: true } });
  return Number(blob?.downloadCount ?? 0n);
}
