import type { Dandiset, User } from "@dandi/db";

/**
 * Authorization decisions, in one place. Every route asks these functions; none
 * decides on its own. The rules are DANDI's (dandi-api.md section 5).
 */

export type Actor = Pick<User, "id" | "isSuperuser" | "status" | "isActive"> | null | undefined;

/** Superusers and APPROVED users may write; everyone may read. */
export function canWrite(actor: Actor): boolean {
  if (!actor || !actor.isActive) return false;
  return actor.isSuperuser || actor.status === "APPROVED";
}

export function isAdmin(actor: Actor): boolean {
  return !!actor && actor.isActive && actor.isSuperuser;
}

/** Owners, and active superusers (who DANDI treats as owners of everything). */
export function isOwner(actor: Actor, ownerIds: readonly number[]): boolean {
  if (!actor || !actor.isActive) return false;
  return actor.isSuperuser || ownerIds.includes(actor.id);
}

/** OPEN dandisets are readable by all; others only by owners and admins. */
export function canReadDandiset(
  actor: Actor,
  dandiset: Pick<Dandiset, "embargoStatus">,
  ownerIds: readonly number[],
): boolean {
  return dandiset.embargoStatus === "OPEN" || isOwner(actor, ownerIds);
}

/** DANDI's IsAdminUser for the user list: staff or superuser. */
export function canListUsers(actor: Pick<User, "isActive" | "isSuperuser" | "isStaff"> | null | undefined): boolean {
  return !!actor && actor.isActive && (actor.isSuperuser || !!actor.isStaff);
}

/** The API key is for APPROVED users and superusers only (so the CLI cannot authenticate otherwise). */
export function canUseApiKey(actor: Actor): boolean {
  return canWrite(actor);
}

/** Searching users (the owners dialog) is for APPROVED users and superusers only. */
export function canSearchUsers(actor: Actor): boolean {
  return canWrite(actor);
}
