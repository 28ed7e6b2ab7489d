import type { Db, User } from "@dandi/db";
import { hashPassword, verifyPassword } from "./passwords";

export interface AuthenticateWithPasswordOptions {
  db: Db;
  email: string;
  password: string;
}

// Verified against when the e-mail is unknown, so that both cases take as long.
let dummyHash: Promise<string> | undefined;

/**
 * E-mail + password sign-in for accounts made by the management CLI. Returns the
 * user, or null for an unknown e-mail, a wrong password, an account without a
 * password or an inactive account: callers answer all of these the same way.
 */
export async function authenticateWithPassword(options: AuthenticateWithPasswordOptions): Promise<User | null> {
  const { db, email, password } = options;
  const user = await db.user.findFirst({ where: { email: { equals: email.trim(), mode: "insensitive" } } });
  if (!user?.passwordHash) {
    dummyHash ??= hashPassword("dandi-timing-equaliser");
    await verifyPassword(await dummyHash, password);
    return null;
  }
  const ok = await verifyPassword(user.passwordHash, password);
  if (!ok || !user.isActive) return null;
  return db.user.update({ where: { id: user.id }, data: { lastLogin: new Date() } });
}
