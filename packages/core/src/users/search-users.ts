import type { Db, User } from "@dandi/db";

export interface SearchUsersOptions {
  /** Substring matched case-insensitively; blank means no match at all. */
  query: string;
  limit?: number;
}

/**
 * DANDI's owner-dialog search: active APPROVED users whose first name, last
 * name, username or GitHub login contains the query, oldest accounts first.
 */
export async function searchUsers(db: Db, { query, limit = 10 }: SearchUsersOptions): Promise<User[]> {
  const q = query.trim();
  if (!q) return [];
  const contains = { contains: q, mode: "insensitive" as const };
  return db.user.findMany({
    where: {
      isActive: true,
      status: "APPROVED",
      OR: [{ firstName: contains }, { lastName: contains }, { username: contains }, { githubLogin: contains }],
    },
    orderBy: [{ dateJoined: "asc" }, { id: "asc" }],
    take: limit,
  });
}
