import { Prisma, type Db } from "@dandi/db";
import { ASSET_CHUNK_SIZE } from "./asset-chunk-size";

/** The chunk that holds a linked asset's key: the one with the greatest first key not above it. */
const containingChunk = (versionId: number, assetId: bigint) => Prisma.sql`
  SELECT ch.id FROM version_asset_chunks ch
  JOIN version_assets r ON r.version_id = ${versionId} AND r.asset_id = ${assetId}
  WHERE ch.version_id = ${versionId}
    AND (ch.first_created, ch.first_asset_id) <= (r.created, r.asset_id)
  ORDER BY ch.first_created DESC, ch.first_asset_id DESC LIMIT 1`;

/**
 * Keeps version_asset_chunks in step with one version_assets row: call with +1
 * right after linking an asset and with -1 right before unlinking it, inside the
 * transaction that holds the version lock. Keys are read from the row in SQL,
 * so timestamps keep their microseconds.
 */
export async function adjustAssetChunk(tx: Db, versionId: number, assetId: bigint, delta: 1 | -1): Promise<void> {
  const updated = await tx.$queryRaw<{ id: bigint; count: number }[]>(Prisma.sql`
    UPDATE version_asset_chunks SET count = count + ${delta}
    WHERE id = (${containingChunk(versionId, assetId)}) RETURNING id, count`);
  if (delta === -1) {
    if (updated[0] && updated[0].count <= 0) {
      await tx.$executeRaw`DELETE FROM version_asset_chunks WHERE id = ${updated[0].id}`;
    }
    return;
  }
  if (updated.length === 0) {
    // The key sorts before every chunk (or there is none): lower the first chunk's bound, or start one.
    const lowered = await tx.$queryRaw<{ id: bigint; count: number }[]>`
      UPDATE version_asset_chunks ch SET first_created = r.created, first_asset_id = r.asset_id, count = ch.count + 1
      FROM version_assets r
      WHERE r.version_id = ${versionId} AND r.asset_id = ${assetId}
        AND ch.id = (SELECT id FROM version_asset_chunks WHERE version_id = ${versionId}
                     ORDER BY first_created, first_asset_id LIMIT 1)
      RETURNING ch.id, ch.count`;
    if (lowered.length === 0) {
      await tx.$executeRaw`
        INSERT INTO version_asset_chunks (version_id, first_created, first_asset_id, count)
        SELECT ${versionId}, created, asset_id, 1 FROM version_assets WHERE version_id = ${versionId} AND asset_id = ${assetId}`;
      return;
    }
    updated.push(lowered[0]!);
  }
  const chunk = updated[0]!;
  if (chunk.count > 2 * ASSET_CHUNK_SIZE) {
    // Split: the second half starts at the chunk's ASSET_CHUNK_SIZE-th key.
    await tx.$executeRaw`
      WITH ch AS (SELECT * FROM version_asset_chunks WHERE id = ${chunk.id}),
      k AS (
        SELECT va.created, va.asset_id FROM version_assets va, ch
        WHERE va.version_id = ${versionId} AND (va.created, va.asset_id) >= (ch.first_created, ch.first_asset_id)
        ORDER BY va.created, va.asset_id OFFSET ${ASSET_CHUNK_SIZE} LIMIT 1)
      INSERT INTO version_asset_chunks (version_id, first_created, first_asset_id, count)
      SELECT ${versionId}, k.created, k.asset_id, ch.count - ${ASSET_CHUNK_SIZE} FROM k, ch`;
    await tx.$executeRaw`UPDATE version_asset_chunks SET count = ${ASSET_CHUNK_SIZE} WHERE id = ${chunk.id}`;
  }
}
