import type { User } from "@dandi/db";

export type DescribeUserOptions = Pick<User, "username" | "firstName" | "lastName" | "githubLogin" | "githubName">;

/**
 * The public identity DANDI shows for a user: the GitHub login and GitHub name
 * when the account came from GitHub, else the username and "first last".
 */
export function describeUser(user: DescribeUserOptions): { username: string; name: string } {
  return {
    username: user.githubLogin || user.username,
    name: user.githubName || `${user.firstName} ${user.lastName}`.trim(),
  };
}
