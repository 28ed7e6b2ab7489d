import type { Db, Prisma, User } from "@dandi/db";

/** The record types DANDI writes (dandi-api.md, AuditRecord). */
export type TAuditRecordType =
  | "create_dandiset"
  | "change_owners"
  | "update_metadata"
  | "add_asset"
  | "update_asset"
  | "remove_asset"
  | "create_zarr"
  | "upload_zarr_chunks"
  | "delete_zarr_chunks"
  | "finalize_zarr"
  | "unembargo_dandiset"
  | "publish_dandiset"
  | "delete_dandiset"
  // Read-only access to dandisets that are not open (issue 13; not DANDI's).
  | "add_viewer"
  | "remove_viewer"
  | "invite_viewer"
  | "cancel_viewer_invitation"
  | "create_review_link"
  | "revoke_review_link"
  | "request_access"
  | "approve_access_request"
  | "decline_access_request";

export interface WriteAuditRecordOptions {
  /** The dandiset's numeric id (not a foreign key: records outlive deleted dandisets). */
  dandisetId: number;
  /**
   * The acting user; username, e-mail and full name are copied into the record.
   * Null only for admin actions without a user (then `admin` must be true).
   */
  user: Pick<User, "username" | "email" | "firstName" | "lastName"> | null;
  recordType: TAuditRecordType;
  /** Record-type specific JSON, e.g. {path, size, asset_blob_id, asset_id, metadata} for assets. */
  details: Prisma.InputJsonValue;
  /** True for an admin acting on someone else's dandiset; then `description` must be non-empty. */
  admin?: boolean;
  description?: string;
}

/**
 * The user columns of an audit record: username, e-mail, full name. The columns
 * have DANDI's lengths; clip rather than fail the audited write. Also for the
 * set-based writers that insert many records in one statement.
 */
export function auditUserColumns(
  user: Pick<User, "username" | "email" | "firstName" | "lastName"> | null,
): [string, string, string] {
  return [
    (user?.username ?? "").slice(0, 39),
    (user?.email ?? "").slice(0, 254),
    (user ? `${user.firstName} ${user.lastName}` : "").slice(0, 301),
  ];
}

/**
 * Appends one audit record. Pass the transaction client when the audited change
 * runs in a transaction, so the record commits (or rolls back) with it.
 *
 * @example await writeAuditRecord(tx, { dandisetId: 1, user, recordType: "add_asset", details: {...} })
 */
export async function writeAuditRecord(db: Db, options: WriteAuditRecordOptions): Promise<void> {
  const { dandisetId, user, recordType, details, admin = false, description = "" } = options;
  // DANDI enforces admin <=> non-empty description with a CHECK constraint.
  if (admin !== description.length > 0) {
    throw new Error("An audit record's description is required exactly when admin is true");
  }
  if (!user && !admin) throw new Error("An audit record needs a user unless admin is true");
  const [username, userEmail, userFullname] = auditUserColumns(user);
  await db.auditRecord.create({
    data: {
      dandisetId,
      username,
      userEmail,
      userFullname,
      recordType,
      details,
      admin,
      description,
    },
  });
}
