import { randomUUID } from "node:crypto";
import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { findVersionAsset } from "./find-version-asset";
import { linkAsset } from "./link-asset";
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
  let released = false;
  const assetId = await db.$transaction(async (tx) => {
    await lockDraftVersion(tx, version.id);
    const now = new Date();
    const asset = await tx.asset.create({
      data: {
        assetId: randomUUID(),
        path: metadata.path,
        blobId: blob.id,
        metadata: stored as object,
        status: "Pending",
        created: now,
        modified: now,
      },
    });
    await linkAsset(tx, { versionId: version.id, assetId: asset.id, path: asset.path, created: now, size: blob.size });
    if (blob.embargoed && version.embargoStatus === "OPEN") {
      await tx.assetBlob.update({ where: { id: blob.id }, data: { embargoed: false, modified: now } });
      released = true;
    }
    await writeAuditRecord(tx, {
      dandisetId: version.dandisetId,
      user,
      recordType: "add_asset",
      details: {
        path: asset.path,
        asset_blob_id: blob.blobId,
        zarr_archive_id: null,
        asset_id: asset.assetId,
        checksum: blob.etag,
        metadata: stored as object,
      },
    });
    return asset.assetId;
  }, ASSET_WRITE_TRANSACTION);
  return {
    asset: await findVersionAsset(db, version.id, assetId),
    releasedBlobKey: released ? blob.key : null,
  };
}
