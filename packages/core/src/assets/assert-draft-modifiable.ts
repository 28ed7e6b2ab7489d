import { ApiError } from "../errors";
import { assertDandisetModifiable } from "../policies";
import type { TAssetVersion } from "./find-asset-version";

/**
 * DANDI's service errors for writes to a version's assets: 405 on a published
 * version, 400 while the dandiset is being unembargoed.
 */
export function assertDraftModifiable(version: Pick<TAssetVersion, "version" | "embargoStatus">): void {
  if (version.version !== "draft") throw ApiError.string(405, "Only draft versions can be modified.");
  assertDandisetModifiable(version);
}
