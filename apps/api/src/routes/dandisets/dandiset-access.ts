import type { Request } from "express";
import {
  ApiError,
  assertCanReadDandiset,
  findDandisetWithOwners,
  isOwner,
  type TDandisetWithOwners,
} from "@dandi/core";

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
 * The dandiset of the URL behind the read policy (`canReadDandiset`, DANDI's
 * embargo gate, dandi-api.md §5): one that is not OPEN needs an owner (or
 * superuser); anonymous callers get 401, others 403.
 */
export async function findReadableDandiset(req: Request): Promise<TDandisetWithOwners> {
  const dandiset = await findDandiset(req);
  assertCanReadDandiset(
    req.reader,
    { dandisetId: dandiset.id, embargoStatus: dandiset.embargoStatus },
    dandiset.ownerIds,
  );
  return dandiset;
}

/** 401 for anonymous callers, 403 for non-owners. */
export function requireOwner(req: Request, dandiset: TDandisetWithOwners): void {
  if (!req.user) throw ApiError.unauthenticated();
  if (!isOwner(req.user, dandiset.ownerIds)) throw ApiError.forbidden();
}
