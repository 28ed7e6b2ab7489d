import type { AssetBlob, Db, User, ZarrArchive } from "@dandi/db";
import { ApiError } from "../errors";
import { resolveBlob } from "./resolve-blob";

/** What an asset write names: exactly one of a blob and a zarr archive (by UUID). */
export type TAssetContentRef = { blobId: string; zarrId?: undefined } | { zarrId: string; blobId?: undefined };

/** The resolved content of an asset write: exactly one of the two is set. */
export type TAssetContent = { blob: AssetBlob; zarr: null } | { blob: null; zarr: ZarrArchive };

/**
 * The blob or zarr archive an asset write names. A blob as resolveBlob; a zarr:
 * 404 when unknown, 400 "The zarr archive belongs to a different dandiset"
 * when it is not the draft's dandiset's (DANDI's add_asset_to_version).
 */
export async function resolveAssetContent(
  db: Db,
  ref: TAssetContentRef,
  user: User,
  dandisetId: number,
): Promise<TAssetContent> {
  if (ref.blobId !== undefined) return { blob: await resolveBlob(db, ref.blobId, user), zarr: null };
  const zarr = await db.zarrArchive.findUnique({ where: { zarrId: ref.zarrId } });
  if (!zarr) throw ApiError.notFound();
  if (zarr.dandisetId !== dandisetId) throw ApiError.string(400, "The zarr archive belongs to a different dandiset");
  return { blob: null, zarr };
}
