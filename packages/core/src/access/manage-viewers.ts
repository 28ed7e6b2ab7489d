import type { Db, PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";

type TActingUser = Pick<User, "id" | "username" | "email" | "firstName" | "lastName">;

export interface AddDandisetViewerOptions {
  db: PrismaClient;
  /** The owner granting access (the caller checked `canManageAccess`). */
  actor: TActingUser;
  dandisetId: number;
  /** Exactly one of: an existing user's username (or GitHub login), or an e-mail address. */
  username?: string;
  email?: string;
}

export type TViewerGrant =
  | { kind: "viewer"; user: User; created: boolean }
  | { kind: "invitation"; email: string; id: number; created: boolean };

const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const info = (u: Pick<User, "username">) => ({ username: u.username });

/**
 * Lets a user read a dandiset that is not open, read-only: by username, or by e-mail. An e-mail
 * of an existing account grants that account; any other address gets an invitation that becomes
 * a grant when someone signs in with it (`claimViewerInvitations`). Idempotent (`created: false`
 * when the grant or invitation existed). Owners cannot be viewers (400). Audited in the same
 * transaction (add_viewer / invite_viewer).
 */
export async function addDandisetViewer(options: AddDandisetViewerOptions): Promise<TViewerGrant> {
  const { db, actor, dandisetId } = options;
  let user: User | null = null;
  let email: string | undefined;
  if (options.username !== undefined) {
    const name = options.username.trim();
    user = await db.user.findFirst({ where: { OR: [{ username: name }, { githubLogin: name }] } });
    if (!user) throw ApiError.fields({ username: [`User ${name} not found.`] });
  } else {
    email = (options.email ?? "").trim().toLowerCase();
    if (!EMAIL_RE.test(email) || email.length > 254) throw ApiError.fields({ email: ["Enter a valid email address."] });
    user = await db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } } });
  }
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM dandisets WHERE id = ${dandisetId} FOR UPDATE`;
    if (user) {
      const owner = await tx.dandisetOwner.findUnique({
        where: { dandisetId_userId: { dandisetId, userId: user.id } },
      });
      if (owner) throw ApiError.fields({ username: ["This user owns the dandiset already."] });
      const existing = await tx.dandisetViewer.findUnique({
        where: { dandisetId_userId: { dandisetId, userId: user.id } },
      });
      if (existing) return { kind: "viewer", user, created: false };
      await tx.dandisetViewer.create({ data: { dandisetId, userId: user.id, grantedById: actor.id } });
      await writeAuditRecord(tx, { dandisetId, user: actor, recordType: "add_viewer", details: info(user) });
      return { kind: "viewer", user, created: true };
    }
    const existing = await tx.viewerInvitation.findUnique({
      where: { dandisetId_email: { dandisetId, email: email! } },
    });
    if (existing) return { kind: "invitation", email: email!, id: existing.id, created: false };
    const invitation = await tx.viewerInvitation.create({ data: { dandisetId, email: email!, invitedById: actor.id } });
    // The invitee's address is not copied into the audit log: only the invitation's id.
    await writeAuditRecord(tx, {
      dandisetId,
      user: actor,
      recordType: "invite_viewer",
      details: { invitation_id: invitation.id },
    });
    return { kind: "invitation", email: email!, id: invitation.id, created: true };
  });
}

/** Ends a viewer's access (404 when they are not a viewer); audited (remove_viewer). */
export async function removeDandisetViewer(options: {
  db: PrismaClient;
  actor: TActingUser;
  dandisetId: number;
  username: string;
}): Promise<User> {
  const { db, actor, dandisetId, username } = options;
  return db.$transaction(async (tx) => {
    const viewer = await tx.dandisetViewer.findFirst({
      where: { dandisetId, user: { OR: [{ username }, { githubLogin: username }] } },
      include: { user: true },
    });
    if (!viewer) throw ApiError.notFound();
    await tx.dandisetViewer.delete({ where: { dandisetId_userId: { dandisetId, userId: viewer.userId } } });
    await writeAuditRecord(tx, { dandisetId, user: actor, recordType: "remove_viewer", details: info(viewer.user) });
    return viewer.user;
  });
}

/** Withdraws an e-mailed invitation (404 when unknown); audited (cancel_viewer_invitation). */
export async function cancelViewerInvitation(options: {
  db: PrismaClient;
  actor: TActingUser;
  dandisetId: number;
  invitationId: number;
}): Promise<void> {
  const { db, actor, dandisetId, invitationId } = options;
  await db.$transaction(async (tx) => {
    const { count } = await tx.viewerInvitation.deleteMany({ where: { id: invitationId, dandisetId } });
    if (count === 0) throw ApiError.notFound();
    await writeAuditRecord(tx, {
      dandisetId,
      user: actor,
      recordType: "cancel_viewer_invitation",
      details: { invitation_id: invitationId },
    });
  });
}

/** A page of a dandiset's viewers, oldest grant first. */
export async function listDandisetViewers(db: Db, options: { dandisetId: number; offset: number; limit: number }) {
  const where = { dandisetId: options.dandisetId };
  const [count, rows] = await Promise.all([
    db.dandisetViewer.count({ where }),
    db.dandisetViewer.findMany({
      where,
      include: { user: true },
      orderBy: [{ created: "asc" }, { userId: "asc" }],
      skip: options.offset,
      take: options.limit,
    }),
  ]);
  return { count, rows };
}

/** A page of a dandiset's open invitations, oldest first. */
export async function listViewerInvitations(db: Db, options: { dandisetId: number; offset: number; limit: number }) {
  const where = { dandisetId: options.dandisetId };
  const [count, rows] = await Promise.all([
    db.viewerInvitation.count({ where }),
    db.viewerInvitation.findMany({
      where,
      orderBy: [{ created: "asc" }, { id: "asc" }],
      skip: options.offset,
      take: options.limit,
    }),
  ]);
  return { count, rows };
}

/**
 * Turns the invitations sent to this user's e-mail address into viewer grants (at sign-in):
 * one transaction, one add_viewer record per dandiset (acting user: the invitee, details
 * name the invitation). Returns the dandiset ids granted.
 */
export async function claimViewerInvitations(db: PrismaClient, user: TActingUser): Promise<number[]> {
  const email = user.email.trim().toLowerCase();
  const pending = await db.viewerInvitation.findMany({ where: { email } });
  if (pending.length === 0) return [];
  return db.$transaction(async (tx) => {
    const granted: number[] = [];
    for (const invitation of pending) {
      const { count } = await tx.viewerInvitation.deleteMany({ where: { id: invitation.id } });
      if (count === 0) continue; // Claimed concurrently (another sign-in).
      const owner = await tx.dandisetOwner.findUnique({
        where: { dandisetId_userId: { dandisetId: invitation.dandisetId, userId: user.id } },
      });
      if (owner) continue;
      await tx.dandisetViewer.upsert({
        where: { dandisetId_userId: { dandisetId: invitation.dandisetId, userId: user.id } },
        create: { dandisetId: invitation.dandisetId, userId: user.id, grantedById: invitation.invitedById },
        update: {},
      });
      await writeAuditRecord(tx, {
        dandisetId: invitation.dandisetId,
        user,
        recordType: "add_viewer",
        details: { username: user.username, invitation_id: invitation.id },
      });
      granted.push(invitation.dandisetId);
    }
    return granted;
  });
}
