import type { User } from "@dandi/db";
import { describeUser } from "@dandi/core";

/** The signed-in user, in the shape of GET /api/users/me/. */
export function presentSignedInUser(user: User) {
  return { ...describeUser(user), admin: user.isSuperuser, status: user.status };
}

/** Which sign-in methods the SPA should offer. */
export function presentProviders(github: boolean) {
  return { github, password: true };
}
