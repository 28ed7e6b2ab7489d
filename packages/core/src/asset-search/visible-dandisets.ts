import type { Prisma, User } from "@dandi/db";
import { readableDandisetSql, type TReadGrants } from "../policies";

export type TSearchUser = (Pick<User, "id" | "isSuperuser" | "isActive"> & TReadGrants) | null | undefined;

/**
 * SQL condition on `d` (the dandisets table): the dandisets whose assets `user`
 * may see in search helpers, DANDI's AssetSearch.visible_to (OPEN or owned;
 * active superusers see all): the read policy's `readableDandisetSql`.
 */
export function visibleDandisetCondition(user: TSearchUser): Prisma.Sql {
  return readableDandisetSql(user);
}
