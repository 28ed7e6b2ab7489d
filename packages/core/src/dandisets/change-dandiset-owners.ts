import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";

export interface ChangeDandisetOwnersOptions {
  db: PrismaClient;
  user: User;
  dandisetId: number;
  /** The complete new owner list: each matches User.username or a GitHub login. */
  usernames: string[];
}

export interface TOwnerChange {
  removed: User[];
  added: User[];
}

/**
 * Replaces a dandiset's owners (DANDI's users PUT): 400 for an empty list or an
 * unknown user; writes a change_owners audit record when anything changed. The
 * caller has checked that `user` owns the dandiset.
 */
export async function changeDandisetOwners(options: ChangeDandisetOwnersOptions): Promise<TOwnerChange> {
  const { db, user, dandisetId, usernames } = options;
  if (usernames.length === 0) throw ApiError.list(["Cannot remove all draft owners"]);
  const found = await db.user.findMany({
    where: { OR: [{ username: { in: usernames } }, { githubLogin: { in: usernames } }] },
  });
  const known = new Set(found.flatMap((u) => [u.username, u.githubLogin].filter((n): n is string => !!n)));
  const missing = usernames.find((name) => !known.has(name));
  if (missing !== undefined) throw ApiError.list([`User ${missing} not found`]);

  return db.$transaction(async (tx) => {
    // Serialise concurrent owner changes of one dandiset.
    await tx.$queryRaw`SELECT id FROM dandisets WHERE id = ${dandisetId} FOR UPDATE`;
    const current = await tx.dandisetOwner.findMany({ where: { dandisetId }, include: { user: true } });
    const wanted = new Map(found.map((u) => [u.id, u]));
    const removed = current.filter((o) => !wanted.has(o.userId)).map((o) => o.user);
    const currentIds = new Set(current.map((o) => o.userId));
    const added = [...wanted.values()].filter((u) => !currentIds.has(u.id));
    if (removed.length) {
      await tx.dandisetOwner.deleteMany({ where: { dandisetId, userId: { in: removed.map((u) => u.id) } } });
    }
    if (added.length) {
      await tx.dandisetOwner.createMany({ data: added.map((u) => ({ dandisetId, userId: u.id })) });
    }
    if (removed.length || added.length) {
      const info = (u: User) => ({ username: u.username, email: u.email, name: `${u.firstName} ${u.lastName}` });
      await writeAuditRecord(tx, {
        dandisetId,
        user,
        recordType: "change_owners",
        details: { removed_owners: removed.map(info), added_owners: added.map(info) },
      });
    }
    return { removed, added };
  });
}
