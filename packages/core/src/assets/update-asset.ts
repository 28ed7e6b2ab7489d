import { isDeepStrictEqual } from "node:util";
import type { PrismaClient, User } from "@dandi/db";
import { ApiError } from "../errors";
import { createLinkedAsset } from "./create-linked-asset";
import { findVersionAsset } from "./find-version-asset";
import { ASSET_WRITE_TRANSACTION } from "./asset-write-transaction";
import { lockDraftVersion } from "./lock-draft-version";
import { resolveAssetContent, type TAssetContentRef } from "./resolve-asset-content";
import { stripAssetMetadata } from "./strip-asset-metadata";
import { unlinkAsset } from "./unlink-asset";
import type { TAssetRecord } from "./asset-record";
import type { TAssetWriteResult } from "./asset-write-transaction";
import type { TAssetVersion } from "./find-asset-version";
import { assertAssetMetadataBounds } from "../validation/json-bounds";

export interface UpdateAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId" | "embargoStatus">;
  /** The asset being replaced, as found in the draft. */
  asset: TAssetRecord;
  /** The blob_id or the zarr_id of the request. */
  content: TAssetContentRef;
  /** The client's metadata, with a validated `path` and `schemaVersion` set. */
  metadata: Record<string, unknown> & { path: string };
}

/**
 * Changes a draft asset. Assets are immutable, so unless nothing changed (same
 * blob or zarr, path and stripped metadata: the same asset is returned) a new asset
 * with a new asset_id replaces the old one in the draft. One transaction:
 * unlink, create, link, tree, counters, `update_asset` audit record.
 */
export async function updateAsset(db: PrismaClient, options: UpdateAssetOptions): Promise<TAssetWriteResult> {
  const { user, version, asset: old, metadata } = options;
  assertAssetMetadataBounds(metadata);
  const content = await resolveAssetContent(db, options.content, user, version.dandisetId);
  const stored = stripAssetMetadata(metadata);
  // jsonb has no key order, so compare as values, not as serialised text.
  const unchanged =
    (content.blob ? old.blob?.id === content.blob.id : old.zarr?.id === content.zarr.id) &&
    old.path === metadata.path &&
    isDeepStrictEqual(old.metadata, stored);
  if (unchanged) return { asset: old, releasedBlobKey: null };

  const { assetId, released } = await db.$transaction(async (tx) => {
    await lockDraftVersion(tx, version.id);
    const clash = await tx.versionAsset.findFirst({
      where: { versionId: version.id, path: metadata.path, NOT: { assetId: old.id } },
      select: { assetId: true },
    });
    if (clash) throw ApiError.string(409, "An asset with that path already exists");
    await unlinkAsset(tx, version.id, old.id);
    return createLinkedAsset(tx, {
      user,
      version,
      content,
      path: metadata.path,
      metadata: stored,
      recordType: "update_asset",
      extraDetails: { previous_asset_id: old.assetId },
    });
  }, ASSET_WRITE_TRANSACTION);
  return {
    asset: await findVersionAsset(db, version.id, assetId),
    releasedBlobKey: released ? content.blob!.key : null,
  };
}
