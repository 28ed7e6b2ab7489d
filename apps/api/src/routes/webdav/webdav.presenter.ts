import type { TAtPathEntry } from "@dandi/core";
import type { AppDeps } from "../../context";
import { presentAsset } from "../assets/assets.presenter";

/**
 * One atpath result: {"type": "asset", "resource": <asset list item[, metadata]>}
 * or {"type": "folder", "resource": {path, total_assets, total_size}}.
 */
export function presentAtPathEntry(deps: AppDeps, entry: TAtPathEntry, withMetadata: boolean) {
  if (entry.asset) return { type: "asset", resource: presentAsset(deps, entry.asset, withMetadata) };
  return {
    type: "folder",
    resource: {
      path: entry.path,
      total_assets: Number(entry.aggregateFiles),
      total_size: Number(entry.aggregateSize),
    },
  };
}
