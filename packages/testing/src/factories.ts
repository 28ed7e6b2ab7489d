import { randomBytes } from "node:crypto";
import type { Db, User, UserStatus } from "@dandi/db";
import { regenerateApiKey } from "@dandi/core";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString("hex")}`;

export interface BuildUserOptions {
  email?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  status?: UserStatus;
  isSuperuser?: boolean;
  isStaff?: boolean;
  githubLogin?: string;
  githubName?: string;
}

/** A user with an API key; returns the plain key for `Authorization: token <key>`. */
export async function buildUser(db: Db, options: BuildUserOptions = {}): Promise<{ user: User; token: string }> {
  const id = unique();
  const email = options.email ?? `user-${id}@example.org`;
  const user = await db.user.create({
    data: {
      email,
      username: options.username ?? email,
      firstName: options.firstName ?? "Test",
      lastName: options.lastName ?? `User${id}`,
      status: options.status ?? "APPROVED",
      isSuperuser: options.isSuperuser ?? false,
      isStaff: options.isStaff ?? options.isSuperuser ?? false,
      githubLogin: options.githubLogin ?? null,
      githubName: options.githubName ?? null,
    },
  });
  const token = await regenerateApiKey(db, user.id);
  return { user, token };
}
