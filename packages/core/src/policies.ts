import { Prisma, type Dandiset, type User } from "@dandi/db";
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

/**
 * Whether a dandiset is open to everyone. Only OPEN is: an UNEMBARGOING
 * dandiset's data is still embargoed in storage until the unembargo finishes,
 * so it stays as private as an EMBARGOED one (DANDI's WebDAV route gates only
 * EMBARGOED; here every read path treats both alike).
 */
export function isDandisetOpen(dandiset: Pick<Dandiset, "embargoStatus">): boolean {
  return dandiset.embargoStatus === "OPEN";
}

/**
 * THE read policy: "is this dandiset open, or may this user see it?". Every
 * read path (dandiset, versions, assets, zarrs, uploads, WebDAV, search and
 * lists, whose SQL says the same) asks this; apps/api/test/embargo-matrix.test.ts
 * enumerates the routes to prove it. Owners and active superusers may see a
 * dandiset that is not open.
 */
export function canReadDandiset(
  actor: Actor,
  dandiset: Pick<Dandiset, "embargoStatus">,
  ownerIds: readonly number[],
): boolean {
  return isDandisetOpen(dandiset) || isOwner(actor, ownerIds);
}

/**
 * `canReadDandiset` as an SQL condition on `d` (the dandisets table), for the
 * routes that list or search many dandisets: OPEN, or owned by the active
 * caller; every dandiset for an active superuser.
 */
export function readableDandisetSql(
  actor: Pick<User, "id" | "isSuperuser" | "isActive"> | null | undefined,
): Prisma.Sql {
  if (actor?.isActive && actor.isSuperuser) return Prisma.sql`TRUE`;
  const userId = actor?.isActive ? actor.id : -1;
  return Prisma.sql`(d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId}))`;
}

/**
 * How a read route answers a caller `canReadDandiset` refuses: "auth" is
 * DANDI's 401 for anonymous callers and 403 for the others (dandiset, version
 * and asset routes, WebDAV gives 403 to both: "forbidden"); "hide" is a 404
 * that does not reveal the dandiset exists (zarrs, uploads).
 */
export type TReadDenial = "auth" | "forbidden" | "hide";

/** `canReadDandiset`, throwing the route's refusal (see TReadDenial) when it says no. */
export function assertCanReadDandiset(
  actor: Actor,
  dandiset: Pick<Dandiset, "embargoStatus">,
  ownerIds: readonly number[],
  denial: TReadDenial = "auth",
): void {
  if (canReadDandiset(actor, dandiset, ownerIds)) return;
  if (denial === "hide") throw ApiError.notFound();
  if (denial === "auth" && !actor) throw ApiError.unauthenticated();
  throw ApiError.forbidden();
}

/** A dandiset as the read policy sees it: its embargo status and owners. */
export interface TDandisetAccess {
  embargoStatus: Dandiset["embargoStatus"];
  ownerIds: readonly number[];
}

/**
 * The top-level /api/assets/{id}/ routes (an asset by id, whichever versions
 * hold it): readable when the caller may read one of the dandisets whose
 * versions hold it (`canReadDandiset`). An asset no version holds any more is
 * readable only when its data is not embargoed (blob, or the zarr's dandiset),
 * and then only by superusers if it is.
 */
export function canReadAsset(
  actor: Actor,
  asset: { embargoed: boolean },
  containing: readonly TDandisetAccess[],
): boolean {
  if (containing.length === 0) return !asset.embargoed || isAdmin(actor);
  return containing.some((d) => canReadDandiset(actor, d, d.ownerIds));
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

/** Publishing a dandiset: owners (and superusers), approved to write. */
export function canPublishDandiset(actor: Actor, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && isOwner(actor, ownerIds);
}

/** The failed-jobs view of the job queues: superusers only. */
export function canViewFailedJobs(actor: Actor): boolean {
  return isAdmin(actor);
}
