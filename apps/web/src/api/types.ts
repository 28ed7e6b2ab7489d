/** Wire shapes of the DANDI API (dandi-api.md §1), as the SPA reads them. */

export interface TPage<T> {
  count: number | null;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type TEmbargoStatus = "OPEN" | "EMBARGOED" | "UNEMBARGOING";
export type TVersionStatus = "Pending" | "Validating" | "Valid" | "Invalid" | "Publishing" | "Published";

export interface TVersionSummary {
  version: string;
  name: string;
  asset_count: number;
  size: number;
  status: TVersionStatus;
  created: string;
  modified: string;
  active_uploads?: number;
  release_notes?: string | null;
}

export interface TDandiset {
  identifier: string;
  created: string;
  modified: string;
  contact_person: string;
  embargo_status: TEmbargoStatus;
  star_count?: number;
  is_starred?: boolean;
  most_recent_published_version: TVersionSummary | null;
  draft_version: TVersionSummary | null;
  /** The dandiset's DOI for all versions (resolves to the newest), on the detail shape. */
  concept_doi?: TConceptDoi | null;
}

export interface TConceptDoi {
  doi: string;
  status: "pending" | "registered" | "failed" | "not-configured";
  version: string | null;
  attempts: number;
  last_error: string | null;
  modified: string | null;
}

export interface TVersionWithDandiset extends TVersionSummary {
  dandiset: Omit<TDandiset, "most_recent_published_version" | "draft_version">;
}

export interface TValidationError {
  field: string;
  message: string;
  path?: string;
}

export type TMetadata = Record<string, unknown>;

export interface TVersionInfo extends TVersionWithDandiset {
  asset_validation_errors: TValidationError[];
  version_validation_errors: TValidationError[];
  metadata: TMetadata;
  contact_person: string;
}

export interface TOwner {
  username: string;
  name: string;
  email?: string | null;
}

export interface TUser {
  username: string;
  name: string;
  admin: boolean;
  status: "INCOMPLETE" | "PENDING" | "APPROVED" | "REJECTED";
}

export interface TAssetPath {
  path: string;
  version: number;
  aggregate_files: number;
  aggregate_size: number;
  asset: { asset_id: string; url: string | null } | null;
}

/** An incomplete multipart upload (`GET /dandisets/{id}/uploads/`). */
export interface TUpload {
  created: string;
  blob: string;
  upload_id: string;
  etag: string;
  size: number;
}

export interface TStats {
  dandiset_count: number;
  published_dandiset_count: number;
  user_count: number;
  size: number;
}

export interface TServerInfo {
  schema_version: string;
  allowed_schema_versions?: string[];
  schema_url: string;
  version: string;
  "cli-requires-python"?: string;
  instance_config: {
    instance_name: string;
    instance_identifier?: string | null;
    instance_url?: string;
    doi_prefix?: string | null;
    licenses?: string[];
  };
  services: { api: { url: string }; webui?: { url: string }; jupyterhub?: { url: string } };
}

export interface TProviders {
  github: boolean;
  password: boolean;
}

export interface TQuestion {
  question: string;
  max_length?: number;
  key?: string;
  name?: string;
  required?: boolean;
}
