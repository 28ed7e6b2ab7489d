import type { Db } from "@dandi/db";

export interface StarDandisetOptions {
  db: Db;
  userId: number;
  dandisetId: number;
  /** true to star, false to unstar. Both are idempotent. */
  starred: boolean;
}

/** Stars or unstars a dandiset for a user; returns the new star count. */
export async function starDandiset({ db, userId, dandisetId, starred }: StarDandisetOptions): Promise<number> {
  if (starred) {
    await db.dandisetStar.upsert({
      where: { dandisetId_userId: { dandisetId, userId } },
      create: { dandisetId, userId },
      update: {},
    });
  } else {
    await db.dandisetStar.deleteMany({ where: { dandisetId, userId } });
  }
  return db.dandisetStar.count({ where: { dandisetId } });
}
