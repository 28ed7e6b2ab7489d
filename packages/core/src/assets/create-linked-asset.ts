import { randomUUID } from "node:crypto";
import type { AssetBlob, Prisma, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { linkAsset } from "./link-asset";
import type { TAssetVersion } from "./find-asset-version";

export interface CreateLinkedAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId" | "embargoStatus">;
  blob: AssetBlob;
  path: string;
  /** The stored (stripped) metadata. */
  metadata: Record<string, unknown>;
  recordType: "add_asset" | "update_asset";
  /** Audit details beyond DANDI's common ones (e.g. the replaced asset's id). */
  extraDetails?: Record<string, unknown>;
}

/**
 * The shared step of adding and updating a draft asset, inside the caller's
 * transaction (which holds the draft's lock): a new asset row, its version link
 * with the folder tree and counters, the blob's release when an embargoed blob
 * joins an OPEN dandiset, and the audit record. Returns the new asset_id and
 * whether the blob was released (its storage tag is removed after commit).
 */
export async function createLinkedAsset(
  tx: Prisma.TransactionClient,
  options: CreateLinkedAssetOptions,
): Promise<{ assetId: string; released: boolean }> {
  const { user, version, blob, path, metadata } = options;
  const now = new Date();
  const asset = await tx.asset.create({
    data: {
      assetId: randomUUID(),
      path,
      blobId: blob.id,
      metadata: metadata as object,
      status: "Pending",
      created: now,
      modified: now,
    },
  });
  await linkAsset(tx, { versionId: version.id, assetId: asset.id, path: asset.path, created: now, size: blob.size });
  const released = blob.embargoed && version.embargoStatus === "OPEN";
  if (released) await tx.assetBlob.update({ where: { id: blob.id }, data: { embargoed: false, modified: now } });
  await writeAuditRecord(tx, {
    dandisetId: version.dandisetId,
    user,
    recordType: options.recordType,
    details: {
      path: asset.path,
      asset_blob_id: blob.blobId,
      zarr_archive_id: null,
      asset_id: asset.assetId,
      ...options.extraDetails,
      checksum: blob.etag,
      metadata: metadata as object,
    },
  });
  return { assetId: asset.assetId, released };
}
