import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ASSET_WRITE_TRANSACTION } from "./asset-write-transaction";
import { lockDraftVersion } from "./lock-draft-version";
import { unlinkAsset } from "./unlink-asset";
import type { TAssetRecord } from "./asset-record";
import type { TAssetVersion } from "./find-asset-version";

export interface RemoveAssetOptions {
  user: User;
  version: Pick<TAssetVersion, "id" | "dandisetId">;
  asset: Pick<TAssetRecord, "id" | "assetId" | "path">;
}

/**
 * Removes an asset from the draft (the asset row stays: published versions may
 * share it), in one transaction with the folder tree, the version's counters
 * and a `remove_asset` audit record.
 */
export async function removeAsset(db: PrismaClient, options: RemoveAssetOptions): Promise<void> {
  const { user, version, asset } = options;
  await db.$transaction(async (tx) => {
    await lockDraftVersion(tx, version.id);
    await unlinkAsset(tx, version.id, asset.id);
    await writeAuditRecord(tx, {
      dandisetId: version.dandisetId,
      user,
      recordType: "remove_asset",
      details: { path: asset.path, asset_id: asset.assetId },
    });
  }, ASSET_WRITE_TRANSACTION);
}
