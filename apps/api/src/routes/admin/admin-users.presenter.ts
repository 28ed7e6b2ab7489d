import type { AuditRecord, User } from "@dandi/db";
import { describeUser } from "@dandi/core";
import { formatTimestamp } from "../../lib/time";

/** A user as the admin pages see it (never the password hash or API key). */
export function presentAdminUser(user: User) {
  return {
    ...describeUser(user),
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    status: user.status,
    admin: user.isSuperuser,
    is_staff: user.isStaff,
    is_active: user.isActive,
    github_login: user.githubLogin,
    date_joined: formatTimestamp(user.dateJoined),
    last_login: user.lastLogin ? formatTimestamp(user.lastLogin) : null,
    questionnaire: user.questionnaire ?? null,
    rejection_reason: user.rejectionReason,
  };
}

/** An audit record, with DANDI's field names. */
export function presentAuditRecord(record: AuditRecord) {
  return {
    id: record.id,
    dandiset_id: record.dandisetId,
    timestamp: formatTimestamp(record.timestamp),
    username: record.username,
    user_email: record.userEmail,
    user_fullname: record.userFullname,
    record_type: record.recordType,
    details: record.details,
    admin: record.admin,
    description: record.description,
  };
}
