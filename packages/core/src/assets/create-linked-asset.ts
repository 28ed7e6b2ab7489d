import { randomUUID } from "node:crypto";
import type { Prisma, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { linkAsset } from "./link-asset";
import type { TAssetVersion } from "./find-asset-version";
import type { TAssetContent } from "./resolve-asset-content";

export interface CreateLinkedAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId" | "embargoStatus">;
  /** The blob or the zarr archive of the new asset. */
  content: TAssetContent;
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
  const { user, version, content, path, metadata } = options;
  const { blob, zarr } = content;
  const now = new Date();
  // A zarr's size is read under a share lock: an ingest finishing meanwhile either
  // happened before (this size is its result) or waits and then sees the new leaf.
  const size = blob
    ? blob.size
    : (
        await tx.$queryRaw<{ size: bigint }[]>`
          SELECT size FROM zarr_archives WHERE id = ${zarr.id} FOR SHARE`
      )[0]!.size;
  const asset = await tx.asset.create({
    data: {
      assetId: randomUUID(),
      path,
      blobId: blob?.id ?? null,
      zarrId: zarr?.id ?? null,
      metadata: metadata as object,
      status: "Pending",
    },
  });
  await linkAsset(tx, { versionId: version.id, assetId: asset.id, path: asset.path, size });
  const released = !!blob && blob.embargoed && version.embargoStatus === "OPEN";
  if (released) await tx.assetBlob.update({ where: { id: blob.id }, data: { embargoed: false, modified: now } });
  await writeAuditRecord(tx, {
    dandisetId: version.dandisetId,
    user,
    recordType: options.recordType,
    details: {
      path: asset.path,
      asset_blob_id: blob?.blobId ?? null,
      zarr_archive_id: zarr?.zarrId ?? null,
      asset_id: asset.assetId,
      ...options.extraDetails,
      checksum: blob ? blob.etag : zarr.checksum,
      metadata: metadata as object,
    },
  });
  return { assetId: asset.assetId, released };
}
