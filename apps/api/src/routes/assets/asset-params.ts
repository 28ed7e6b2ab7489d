import type { Request } from "express";
import {
  ApiError,
  assertCanReadDandiset,
  assertDraftModifiable,
  canModifyAssets,
  findAssetVersion,
  type TAssetVersion,
} from "@dandi/core";

const DANDISET_ID_RE = /^\d{6}$/;
const VERSION_RE = /^(0\.\d{6}\.\d{4}|draft)$/;
const ASSET_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The asset UUID of the URL; a malformed one is a 404, as Django's URL patterns. */
export function readAssetId(req: Request): string {
  const assetId = String(req.params.assetId ?? "");
  if (!ASSET_ID_RE.test(assetId)) throw ApiError.notFound();
  return assetId;
}

/**
 * The version of a nested asset route, behind the read policy: a dandiset that
 * is not OPEN answers 401 to anonymous users and 403 to non-owners.
 */
export async function loadVersion(req: Request): Promise<TAssetVersion> {
  const { dandisetId, version } = req.params as Record<string, string>;
  if (!DANDISET_ID_RE.test(dandisetId ?? "") || !VERSION_RE.test(version ?? "")) throw ApiError.notFound();
  const found = await findAssetVersion(req.deps.prisma, Number(dandisetId), version!);
  assertCanReadDandiset(req.reader, found, found.ownerIds);
  return found;
}

/** The version of a write route: owners only (403), drafts only (405), not while unembargoing (400). */
export async function loadWritableVersion(req: Request): Promise<TAssetVersion> {
  const { dandisetId, version } = req.params as Record<string, string>;
  if (!DANDISET_ID_RE.test(dandisetId ?? "") || !VERSION_RE.test(version ?? "")) throw ApiError.notFound();
  const found = await findAssetVersion(req.deps.prisma, Number(dandisetId), version!);
  if (!canModifyAssets(req.user, found.ownerIds)) throw ApiError.forbidden();
  assertDraftModifiable(found);
  return found;
}
