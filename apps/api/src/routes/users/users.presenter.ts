import type { User } from "@dandi/db";
import { describeUser } from "@dandi/core";

/** DANDI's UserDetailSerializer: {username, name, admin, status}. */
export function presentUser(user: User) {
  const { username, name } = describeUser(user);
  return { username, name, admin: user.isSuperuser, status: user.status };
}
