import { Prisma, type Db } from "@dandi/db";

export interface StarDandisetOptions {
  db: Db;
  userId: number;
  dandisetId: number;
  /** true to star, false to unstar. Both are idempotent. */
  starred: boolean;
}

/**
 * Stars or unstars a dandiset for a user; returns the new star count.
 * One statement each way, so that concurrent stars and unstars of the same
 * dandiset by the same user never collide: a star that exists already is
 * left alone (ON CONFLICT DO NOTHING, where a find-then-create upsert raced to
 * a unique violation), an unstar of a missing star deletes nothing.
 * dandisets.star_count follows from the rows a statement really inserted or
 * deleted (migration 20261201224500).
 */
export async function starDandiset({ db, userId, dandisetId, starred }: StarDandisetOptions): Promise<number> {
  if (starred) {
    await db.$executeRaw(Prisma.sql`INSERT INTO dandiset_stars (dandiset_id, user_id)
      SELECT id, ${userId} FROM dandisets WHERE id = ${dandisetId}
      ON CONFLICT (dandiset_id, user_id) DO NOTHING`);
  } else {
    await db.$executeRaw(
      Prisma.sql`DELETE FROM dandiset_stars WHERE dandiset_id = ${dandisetId} AND user_id = ${userId}`,
    );
  }
  return db.dandisetStar.count({ where: { dandisetId } });
}
