import type { PrismaClient, User } from "@dandi/db";
import { ApiError } from "../errors";

export interface ChangeUserStatusOptions {
  prisma: PrismaClient;
  /** The admin making the change; recorded in the audit record. */
  admin: Pick<User, "username" | "email" | "firstName" | "lastName">;
  username: string;
  status: "APPROVED" | "REJECTED";
  /** Required when rejecting (DANDI's rejection_reason, at most 1000 characters). */
  reason?: string;
}

/** Audit record type for approvals and rejections; dandiset_id 0 means "no dandiset". */
export const CHANGE_USER_STATUS_RECORD = "change_user_status";

/**
 * Approves or rejects a user, as DANDI's dashboard: approving sets is_active,
 * rejecting clears it and stores the reason. The change and its audit record
 * (`change_user_status`, dandiset_id 0, admin=true) commit together. Returns the
 * user and whether the status actually changed (so e-mails go out only then).
 */
export async function changeUserStatus(options: ChangeUserStatusOptions): Promise<{ user: User; changed: boolean }> {
  const { prisma, admin, username, status, reason = "" } = options;
  if (status === "REJECTED" && reason.trim() === "") {
    throw ApiError.fields({ reason: ["This field is required when rejecting a user."] });
  }
  return prisma.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { username } });
    if (!before) throw ApiError.notFound();
    const user = await tx.user.update({
      where: { id: before.id },
      data:
        status === "APPROVED"
          ? { status, isActive: true, rejectionReason: "" }
          : { status, isActive: false, rejectionReason: reason.trim().slice(0, 1000) },
    });
    const changed = before.status !== status;
    if (changed) {
      await tx.auditRecord.create({
        data: {
          dandisetId: 0,
          username: admin.username.slice(0, 39),
          userEmail: admin.email.slice(0, 254),
          userFullname: `${admin.firstName} ${admin.lastName}`.slice(0, 301),
          recordType: CHANGE_USER_STATUS_RECORD,
          details: {
            username: user.username,
            email: user.email,
            from: before.status,
            to: status,
            reason: user.rejectionReason,
          },
          admin: true,
          description: `${status === "APPROVED" ? "Approved" : "Rejected"} user ${user.username}`,
        },
      });
    }
    return { user, changed };
  });
}
