import type { Db } from "@dandi/db";

export interface ListUserLoginsOptions {
  /** Only users whose status is APPROVED. */
  approvedOnly?: boolean;
}

/** Every user's login (GitHub login, else username), sorted, for the admin user list. */
export async function listUserLogins(db: Db, { approvedOnly = false }: ListUserLoginsOptions = {}): Promise<string[]> {
  const users = await db.user.findMany({
    where: approvedOnly ? { status: "APPROVED" } : {},
    select: { username: true, githubLogin: true },
  });
  return users.map((u) => u.githubLogin || u.username).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
