import type { PrismaClient, User } from "@dandi/db";
import { createLinkedAsset } from "./create-linked-asset";
import { findVersionAsset } from "./find-version-asset";
import { ASSET_WRITE_TRANSACTION } from "./asset-write-transaction";
import { lockDraftVersion } from "./lock-draft-version";
import { resolveAssetContent, type TAssetContentRef } from "./resolve-asset-content";
import { stripAssetMetadata } from "./strip-asset-metadata";
import type { TAssetWriteResult } from "./asset-write-transaction";
import type { TAssetVersion } from "./find-asset-version";
import { assertAssetMetadataBounds } from "../validation/json-bounds";

export interface AddAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId" | "embargoStatus">;
  /** The blob_id or the zarr_id of the request. */
  content: TAssetContentRef;
  /** The client's metadata, with a validated `path` and `schemaVersion` set. */
  metadata: Record<string, unknown> & { path: string };
}

/**
 * Creates an asset and adds it to the draft, in one transaction: the asset row,
 * its version link, the folder tree, the version's asset_count/size/status and
 * an `add_asset` audit record. An embargoed blob added to an OPEN dandiset is
 * marked not embargoed (its storage tag is removed by a worker job).
 */
export async function addAsset(db: PrismaClient, options: AddAssetOptions): Promise<TAssetWriteResult> {
  const { user, version, metadata } = options;
  assertAssetMetadataBounds(metadata);
  const content = await resolveAssetContent(db, options.content, user, version.dandisetId);
  const stored = stripAssetMetadata(metadata);
  const { assetId, released } = await db.$transaction(async (tx) => {
    await lockDraftVersion(tx, version.id);
    return createLinkedAsset(tx, {
      user,
      version,
      content,
      path: metadata.path,
      metadata: stored,
      recordType: "add_asset",
    });
  }, ASSET_WRITE_TRANSACTION);
  return {
    asset: await findVersionAsset(db, version.id, assetId),
    releasedBlobKey: released ? content.blob!.key : null,
  };
}
