import type { Dandiset, User } from "@dandi/db";
import { ApiError } from "./errors";

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

/**
 * Whether a caller may learn of (and read) a blob: any blob that is not
 * embargoed; an embargoed one only for superusers and owners of a dandiset whose
 * versions hold an asset on it (`containingOwnerIds`: those owners, or just the
 * caller when they are one). Upload dedupe asks this so that a 409 never
 * reveals an embargoed blob to someone who does not already hold its bytes.
 */
export function canReadBlob(
  actor: Actor,
  blob: { embargoed: boolean },
  containingOwnerIds: readonly number[],
): boolean {
  return !blob.embargoed || isOwner(actor, containingOwnerIds);
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

/** DANDI's DandisetUnembargoInProgressError message (a bare-string 400). */
export const UNEMBARGO_IN_PROGRESS_MESSAGE = "Dandiset modification not allowed during unembargo";

/** While UNEMBARGOING, nothing about a dandiset may change. */
export function canModifyDandisetNow(dandiset: Pick<Dandiset, "embargoStatus">): boolean {
  return dandiset.embargoStatus !== "UNEMBARGOING";
}

/**
 * Call before any mutation of a dandiset (its versions, assets, zarrs, uploads,
 * owners, deletion): throws the 400 "Dandiset modification not allowed during unembargo".
 */
export function assertDandisetModifiable(dandiset: Pick<Dandiset, "embargoStatus">): void {
  if (!canModifyDandisetNow(dandiset)) throw ApiError.string(400, UNEMBARGO_IN_PROGRESS_MESSAGE);
}

/** Unembargo: approved (or superuser) owners only. */
export function canUnembargo(actor: Actor, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && isOwner(actor, ownerIds);
}

type StaffActor = Pick<User, "isActive" | "isSuperuser" | "isStaff"> | null | undefined;

/** The admin API's read side (user list, audit log): staff or superusers. */
export function canViewAdmin(actor: StaffActor): boolean {
  return !!actor && actor.isActive && (actor.isSuperuser || actor.isStaff);
}

/** Approving and rejecting users: superusers only. */
export function canManageUsers(actor: StaffActor): boolean {
  return !!actor && actor.isActive && actor.isSuperuser;
}

/** The questionnaire: any signed-in active user, whatever the approval status. */
export function canSubmitQuestionnaire(actor: Actor): boolean {
  return !!actor && actor.isActive;
}

/** Adding, changing and removing a version's assets: owners (superusers count as owners). */
export function canModifyAssets(actor: Actor, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && isOwner(actor, ownerIds);
}

/**
 * The top-level /api/assets/{id}/ routes for an asset whose blob is embargoed:
 * superusers, and owners of any dandiset that contains the asset (dandi-api.md §1.4).
 */
export function canReadEmbargoedAsset(actor: Actor, containingOwnerIds: readonly number[]): boolean {
  return isOwner(actor, containingOwnerIds);
}

/** Publishing a dandiset: owners (and superusers), approved to write. */
export function canPublishDandiset(actor: Actor, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && isOwner(actor, ownerIds);
}

/** The failed-jobs view of the job queues: superusers only. */
export function canViewFailedJobs(actor: Actor): boolean {
  return isAdmin(actor);
}
