import { Prisma, type Dandiset, type User } from "@dandi/db";
import { ApiError } from "./errors";

/**
 * Authorization decisions, in one place. Every route asks these functions; none
 * decides on its own. The rules are DANDI's (dandi-api.md section 5).
 */

export type Actor = (Pick<User, "id" | "isSuperuser" | "status" | "isActive"> & TReadGrants) | null | undefined;

/**
 * Read-only grants an actor holds besides ownership, loaded with the caller
 * (apps/api's authenticate): the dandisets they were made a viewer of
 * (`dandiset_viewers`) and those a valid review link opened in their session.
 * They widen the read policy only; no write policy looks at them.
 */
export interface TReadGrants {
  viewerOf?: readonly number[];
}

/**
 * The anonymous holder of review links (no user): an actor that is never
 * active, so every write policy refuses it, and that reads exactly the
 * dandisets of its valid links. Its id matches no user.
 */
export function reviewLinkActor(dandisetIds: readonly number[]): NonNullable<Actor> {
  return { id: REVIEW_LINK_ACTOR_ID, isSuperuser: false, status: "INCOMPLETE", isActive: false, viewerOf: dandisetIds };
}

const REVIEW_LINK_ACTOR_ID = -1;

/** Whether the actor is a review-link holder without a user (refused as an anonymous caller). */
export function isReviewLinkActor(actor: Actor): boolean {
  return !!actor && actor.id === REVIEW_LINK_ACTOR_ID;
}

/** A dandiset as the read policy identifies it (the Dandiset row gives `{ dandisetId: d.id, ... }`). */
export interface TReadTarget {
  dandisetId: number;
  embargoStatus: Dandiset["embargoStatus"];
}

/**
 * The actor as the write paths that also read (upload complete/validate) must see it: without
 * its read grants, so that being a viewer never lets anyone past a write.
 */
export function withoutReadGrants<T extends NonNullable<Actor>>(actor: T | undefined): T | undefined {
  if (!actor?.viewerOf) return actor;
  return { ...actor, viewerOf: undefined };
}

/** Whether the actor holds a read-only grant (viewer, review link) on this dandiset. */
export function hasReadGrant(actor: Actor, dandisetId: number): boolean {
  return !!actor?.viewerOf?.includes(dandisetId);
}

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
 * dandiset that is not open, and so may its viewers and the holders of a
 * valid review link for it (`TReadGrants`), read-only.
 */
export function canReadDandiset(actor: Actor, dandiset: TReadTarget, ownerIds: readonly number[]): boolean {
  return isDandisetOpen(dandiset) || isOwner(actor, ownerIds) || hasReadGrant(actor, dandiset.dandisetId);
}

/**
 * `canReadDandiset` as an SQL condition on `d` (the dandisets table), for the
 * routes that list or search many dandisets: OPEN, or owned by the active
 * caller, or one of the caller's read grants (viewer, review link); every
 * dandiset for an active superuser.
 */
export function readableDandisetSql(
  actor: (Pick<User, "id" | "isSuperuser" | "isActive"> & TReadGrants) | null | undefined,
): Prisma.Sql {
  if (actor?.isActive && actor.isSuperuser) return Prisma.sql`TRUE`;
  const userId = actor?.isActive ? actor.id : -1;
  const grants = actor?.viewerOf?.length ? Prisma.sql` OR d.id = ANY(${[...actor.viewerOf]}::int[])` : Prisma.empty;
  return Prisma.sql`(d.embargo_status = 'OPEN' OR d.id IN (SELECT dandiset_id FROM dandiset_owners WHERE user_id = ${userId})${grants})`;
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
  dandiset: TReadTarget,
  ownerIds: readonly number[],
  denial: TReadDenial = "auth",
): void {
  if (canReadDandiset(actor, dandiset, ownerIds)) return;
  if (denial === "hide") throw ApiError.notFound();
  if (denial === "auth" && (!actor || isReviewLinkActor(actor))) throw ApiError.unauthenticated();
  throw ApiError.forbidden();
}

/** A dandiset as the read policy sees it: its id, embargo status and owners. */
export interface TDandisetAccess extends TReadTarget {
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

/**
 * Managing who may view a dandiset (viewers, invitations, review links, access
 * requests): its approved owners and superusers. Viewers never may.
 */
export function canManageAccess(actor: Actor, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && isOwner(actor, ownerIds);
}

/** Asking for access to a dandiset: approved users who cannot read it yet. */
export function canRequestAccess(actor: Actor, dandiset: TReadTarget, ownerIds: readonly number[]): boolean {
  return canWrite(actor) && !canReadDandiset(actor, dandiset, ownerIds);
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
