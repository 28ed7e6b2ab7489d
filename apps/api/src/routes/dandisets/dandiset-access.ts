import type { Request } from "express";
import { ApiError, findDandisetWithOwners, isOwner, type TDandisetWithOwners } from "@dandi/core";

export type { TDandisetWithOwners };

const DANDISET_ID_RE = /^\d{6}$/;

/** The dandiset named by the `:dandisetId` URL parameter, or a 404. */
export async function findDandiset(req: Request): Promise<TDandisetWithOwners> {
  const raw = String(req.params.dandisetId);
  if (!DANDISET_ID_RE.test(raw)) throw ApiError.notFound();
  const dandiset = await findDandisetWithOwners(req.deps.prisma, Number(raw));
  if (!dandiset) throw ApiError.notFound();
  return dandiset;
}

/**
 * DANDI's embargo gate (dandi-api.md §5): a non-OPEN dandiset needs an owner
 * (or superuser); anonymous callers get 401, others 403.
 */
export async function findReadableDandiset(req: Request): Promise<TDandisetWithOwners> {
  const dandiset = await findDandiset(req);
  if (dandiset.embargoStatus !== "OPEN") requireOwner(req, dandiset);
  return dandiset;
}

/** 401 for anonymous callers, 403 for non-owners. */
export function requireOwner(req: Request, dandiset: TDandisetWithOwners): void {
  if (!req.user) throw ApiError.unauthenticated();
  if (!isOwner(req.user, dandiset.ownerIds)) throw ApiError.forbidden();
}
