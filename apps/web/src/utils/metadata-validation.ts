/**
 * The metadata editor's verdict on a draft, reached exactly as the worker reaches
 * its own (packages/core/src/versions/validate-version-metadata.ts): the same
 * placeholders for what only publishing knows, the same dandischema checks, and
 * ajv with the same set-up over the same PublishedDandiset schema, compiled at
 * build time (vite-plugins/metadata-validator.ts). Loaded with the editor only.
 */
import { schemaDigest, schemaVersion, validate } from "virtual:published-dandiset-validator";
import {
  buildValidatableMetadata,
  draftValidationIssues,
  publishActivity,
  toValidationIssues,
  type ValidationIssue,
} from "@dandi/shared";
import type { TMetadata, TServerInfo } from "../api/types";

export type { ValidationIssue };
export const BUNDLED_SCHEMA_VERSION = schemaVersion;

export interface TDraftFacts {
  identifier: string;
  hasBytes: boolean;
  hasFiles: boolean;
}

/** True when this build can validate as you type (it was built with DANDI's schemas). */
export const canValidate = validate !== null;

/** Every problem the server would report for `metadata` if it were saved now (empty: Valid). */
export function validateDraft(metadata: TMetadata, info: TServerInfo, facts: TDraftFacts): ValidationIssue[] {
  if (!validate) return [];
  const now = new Date();
  const at = now.toISOString().replace("Z", "+00:00");
  const instance = {
    instanceName: info.instance_config.instance_name,
    instanceIdentifier: info.instance_config.instance_identifier,
    webAppUrl: info.instance_config.instance_url ?? location.origin,
    doiPrefix: info.instance_config.doi_prefix ?? "10.80507",
  };
  const doc = buildValidatableMetadata(metadata, {
    instance,
    identifier: facts.identifier,
    now,
    datePublished: at,
    publishedBy: publishActivity(instance, at, () => crypto.randomUUID()),
    hasBytes: facts.hasBytes,
    hasFiles: facts.hasFiles,
  });
  const check = validate;
  return draftValidationIssues(
    (value) => (check(value) ? [] : toValidationIssues(check.errors ?? [])),
    info.allowed_schema_versions ?? [info.schema_version],
    doc,
  );
}

/** SHA-256 (hex) of a schema as the API serves it. */
async function digestOf(schema: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(schema));
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Whether the server validates with the very schema this build compiled (it could be redeployed on its own). */
export async function matchesServerSchema(serverSchema: unknown): Promise<boolean> {
  return schemaDigest !== null && (await digestOf(serverSchema)) === schemaDigest;
}

/** An issue's field ("contributor.0.name") as the form's path ("/contributor/0/name"). */
export const fieldPath = (field: string): string => (field ? `/${field.split(".").join("/")}` : "");
