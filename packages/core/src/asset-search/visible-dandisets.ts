import { Prisma, type User } from "@dandi/db";

export type TSearchUser = Pick<User, "id" | "isSuperuser" | "isActive"> | null | undefined;

/**
 * SQL condition on `d` (the dandisets table): the dandisets whose assets `user`
 * may see in search helpers, DANDI's AssetSearch.visible_to (OPEN or owned;
 * active superusers see all).
 */
export function visibleDandisetCondition(user: TSearchUser): Prisma.Sql {
  if (user?.isSuperuser && user.isActive) return Prisma.sql`TRUE`;
  return Prisma.sql`(d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${user?.id ?? -1}))`;
}
