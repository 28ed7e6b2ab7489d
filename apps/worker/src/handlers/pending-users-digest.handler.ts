import { sendPendingUsersDigest } from "@dandi/core";
import type { THandler } from "./handler";

/** DANDI's daily send_pending_users_email to the admins. */
export const handleSendPendingUsersDigest: THandler<"sendPendingUsersDigest"> = async (_payload, deps) => {
  const listed = await sendPendingUsersDigest({
    db: deps.prisma,
    mailer: deps.mailer,
    webAppUrl: deps.config.DANDI_WEB_APP_URL,
  });
  return listed > 0 ? { status: "success", detail: { listed } } : { status: "skipped", detail: "no pending users" };
};
