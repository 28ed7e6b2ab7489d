import type { Db } from "@dandi/db";
import type { Mailer } from "./mailer";
import { buildPendingUsersMessage } from "./messages";

export interface SendPendingUsersDigestOptions {
  db: Db;
  mailer: Mailer;
  webAppUrl: string;
}

/**
 * DANDI's daily `send_pending_users_email`: one e-mail to DANDI_ADMIN_EMAIL
 * listing the PENDING users, sent only when there is at least one. Returns how
 * many users were listed. Meant for a daily job schedule (worker).
 */
export async function sendPendingUsersDigest({
  db,
  mailer,
  webAppUrl,
}: SendPendingUsersDigestOptions): Promise<number> {
  const users = await db.user.findMany({
    where: { status: "PENDING", isActive: true },
    orderBy: { dateJoined: "asc" },
    select: { username: true, email: true, firstName: true, lastName: true },
  });
  if (users.length === 0) return 0;
  await mailer.send(buildPendingUsersMessage(users, { adminEmail: mailer.adminEmail, webAppUrl }));
  return users.length;
}
