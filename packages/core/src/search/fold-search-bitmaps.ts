import type { Db } from "@dandi/db";

/**
 * Folds the dandisets whose search postings changed since the last fold
 * (search_bitmap_dirty) into the common tokens' bitmaps, and gives a bitmap to
 * tokens that reached dandi_search_bitmap_min_df() dandisets (migration
 * 20261122233000). Searches are exact without it; it keeps common words fast.
 * Returns how many dandisets it folded (0 when there was nothing to do).
 */
export async function foldSearchBitmaps(db: Db): Promise<number> {
  const [row] = await db.$queryRaw<{ folded: number }[]>`SELECT dandi_fold_search_bitmaps() AS folded`;
  return row?.folded ?? 0;
}
