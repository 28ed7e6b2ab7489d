import type { Db, User, UserStatus } from "@dandi/db";
import { ApiError } from "../errors";
import { makeUsername } from "./make-username";

export interface CreateUserOptions {
  email: string;
  status: UserStatus;
  firstName?: string;
  lastName?: string;
  isSuperuser?: boolean;
  /** An argon2id hash; hashing is the caller's job so that core stays free of native modules. */
  passwordHash?: string | null;
}

/**
 * Creates a local (non-GitHub) user, as DANDI's management commands do, but
 * with a username made from the e-mail (`makeUsername`) rather than the e-mail
 * itself, which would reach visitors in owner lists. Superusers are staff too.
 * A taken e-mail is a 400.
 */
export async function createUser(db: Db, options: CreateUserOptions): Promise<User> {
  const email = options.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw ApiError.fields({ email: ["Enter a valid email address."] });
  const taken = await db.user.findFirst({ where: { OR: [{ email }, { username: email }] }, select: { id: true } });
  if (taken) throw ApiError.fields({ email: ["A user with that email already exists."] });
  const isSuperuser = options.isSuperuser ?? false;
  return db.user.create({
    data: {
      email,
      username: await makeUsername(db, email),
      firstName: options.firstName ?? "",
      lastName: options.lastName ?? "",
      status: options.status,
      isSuperuser,
      isStaff: isSuperuser,
      passwordHash: options.passwordHash ?? null,
    },
  });
}
