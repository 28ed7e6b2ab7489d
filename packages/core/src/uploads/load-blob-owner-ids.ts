import type { Db } from "@dandi/db";
import type { Actor } from "../policies";

/**
 * For canReadBlob: `[actor.id]` when the actor owns a dandiset that has an
 * asset on this blob in any of its versions (draft or published), else `[]`.
 * Only the actor's own ownership matters, so no other owner list is loaded.
 */
export async function loadBlobOwnerIds(db: Db, blobPk: bigint, actor: Actor): Promise<number[]> {
  if (!actor) return [];
  const owned = await db.dandisetOwner.findFirst({
    where: {
      userId: actor.id,
      dandiset: { versions: { some: { assets: { some: { asset: { blobId: blobPk } } } } } },
    },
    select: { userId: true },
  });
  return owned ? [owned.userId] : [];
}
