import type { TAssetValidationError, TDandisetView } from "@dandi/core";
import type { Version } from "@dandi/db";
import { presentDandisetBase, presentVersionFields } from "../dandisets/dandisets.presenter";

type TMetadata = Record<string, unknown>;

/** DANDI's extract_contact_person for one version's metadata. */
export function contactPersonOf(metadata: TMetadata): string {
  const contributors = metadata.contributor;
  if (!Array.isArray(contributors)) return "";
  for (const c of contributors as unknown[]) {
    if (typeof c !== "object" || c === null) continue;
    const { name, roleName } = c as { name?: unknown; roleName?: unknown };
    if (name != null && Array.isArray(roleName) && roleName.includes("dcite:ContactPerson")) return String(name);
  }
  return "";
}

/** VersionSerializer: a version with its dandiset (versions list). */
export function presentVersion(v: Version, dandiset: TDandisetView, activeUploads: number) {
  const metadata = v.metadata as TMetadata;
  return {
    ...presentVersionFields(v, activeUploads),
    dandiset: presentDandisetBase(dandiset),
    release_notes: typeof metadata.releaseNotes === "string" ? metadata.releaseNotes : "",
  };
}

/** VersionDetailSerializer (info/ and PUT). */
export function presentVersionDetail(
  v: Version,
  dandiset: TDandisetView,
  activeUploads: number,
  assetValidationErrors: TAssetValidationError[],
) {
  return {
    ...presentVersion(v, dandiset, activeUploads),
    asset_validation_errors: assetValidationErrors,
    version_validation_errors: v.validationErrors,
    metadata: v.metadata,
    contact_person: contactPersonOf(v.metadata as TMetadata),
  };
}
