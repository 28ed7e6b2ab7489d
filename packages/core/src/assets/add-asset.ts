import type { PrismaClient, User } from "@dandi/db";
import { createLinkedAsset } from "./create-linked-asset";
import { findVersionAsset } from "./find-version-asset";
import { ASSET_WRITE_TRANSACTION } from "./asset-write-transaction";
import { lockDraftVersion } from "./lock-draft-version";
import { resolveBlob } from "./resolve-blob";
import { stripAssetMetadata } from "./strip-asset-metadata";
import type { TAssetWriteResult } from "./asset-write-transaction";
import type { TAssetVersion } from "./find-asset-version";

export interface AddAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId" | "embargoStatus">;
  blobId: string;
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
  const blob = await resolveBlob(db, options.blobId, options.user);
  const stored = stripAssetMetadata(metadata);
  const { assetId, released } = await db.$transaction(async (tx) => {
    await lockDraftVersion(tx, version.id);
    return createLinkedAsset(tx, {
      user,
      version,
      blob,
      path: metadata.path,
      metadata: stored,
      recordType: "add_asset",
    });
  }, ASSET_WRITE_TRANSACTION);
  return {
    asset: await findVersionAsset(db, version.id, assetId),
    releasedBlobKey: released ? blob.key : null,
  };
}
