import type { PrismaClient } from "@dandi/db";
import type { TConfig } from "../config";
import type { SchemaCatalog, ValidationIssue } from "../schemas";
import { buildPublishActivity } from "./build-publish-activity";
import { formatPythonIsoformat } from "./format-python-isoformat";
import { formatDandisetIdentifier } from "./populate-version-metadata";
import type { TMetadata } from "./strip-version-metadata";

export interface ValidateVersionMetadataOptions {
  db: PrismaClient;
  schemas: SchemaCatalog;
  config: Pick<
    TConfig,
    "DANDI_INSTANCE_NAME" | "DANDI_INSTANCE_IDENTIFIER" | "DANDI_WEB_APP_URL" | "DANDI_DOI_API_PREFIX"
  >;
  versionId: number;
  now?: Date;
}

export type TValidateVersionResult = "skipped" | "Valid" | "Invalid";

const EMPTY_DANDISET_MESSAGE = "Value error, A Dandiset containing no files or zero bytes is not publishable";

/**
 * DANDI's validate_version_metadata_task: validates a Pending draft as if it were
 * published (PublishedDandiset, with a fake id, url, doi and assetsSummary, so
 * only errors the owner can fix are reported) and stores Valid or Invalid with
 * `validation_errors` [{field, message}]. The row is locked for the duration;
 * a version that is gone, published or no longer Pending is skipped, so the job
 * is safe to run twice.
 */
export async function validateVersionMetadata(
  options: ValidateVersionMetadataOptions,
): Promise<TValidateVersionResult> {
  const { db, schemas, config, versionId } = options;
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM versions WHERE id = ${versionId} FOR UPDATE`;
    if (locked.length === 0) return "skipped";
    const version = await tx.version.findUniqueOrThrow({ where: { id: versionId } });
    if (version.version !== "draft" || version.status !== "Pending") return "skipped";
    await tx.version.update({ where: { id: versionId }, data: { status: "Validating" } });

    const metadata = buildValidatableMetadata(version.metadata as TMetadata, {
      config,
      now,
      dandisetId: version.dandisetId,
      hasBytes: version.size > 0n,
      hasFiles: version.assetCount > 0n,
    });
    const errors = validateAgainstSchemas(schemas, metadata);
    const status = errors.length === 0 ? "Valid" : "Invalid";
    await tx.version.update({
      where: { id: versionId },
      data: { status, validationErrors: errors as unknown as object[], modified: new Date() },
    });
    return status;
  });
}

interface BuildOptions {
  config: ValidateVersionMetadataOptions["config"];
  now: Date;
  dandisetId: number;
  hasBytes: boolean;
  hasFiles: boolean;
}

/** The draft metadata as the publish job would produce it, with placeholders for what only publishing knows. */
function buildValidatableMetadata(
  draft: TMetadata,
  { config, now, dandisetId, hasBytes, hasFiles }: BuildOptions,
): TMetadata {
  const identifier = formatDandisetIdentifier(dandisetId);
  const version = nextVersionString(now);
  const instance = config.DANDI_INSTANCE_NAME;
  return {
    ...structuredClone(draft),
    publishedBy: buildPublishActivity(config, now),
    datePublished: formatPythonIsoformat(now),
    id: `${instance}:${identifier}/${version}`,
    url: `${config.DANDI_WEB_APP_URL}/dandiset/${identifier}/${version}`,
    doi: `${config.DANDI_DOI_API_PREFIX}/${instance.toLowerCase()}.123456/0.123456.1234`,
    assetsSummary: { schemaKey: "AssetsSummary", numberOfBytes: hasBytes ? 1 : 0, numberOfFiles: hasFiles ? 1 : 0 },
  };
}

/** "0.YYMMDD.HHMM" of a UTC time (Version.datetime_to_version). */
export function nextVersionString(now: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const yy = p(now.getUTCFullYear() % 100);
  return `0.${yy}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}.${p(now.getUTCHours())}${p(now.getUTCMinutes())}`;
}

function validateAgainstSchemas(schemas: SchemaCatalog, metadata: TMetadata): ValidationIssue[] {
  const schemaVersion = metadata.schemaVersion;
  // dandischema refuses metadata of a schema version it cannot validate (a bare ValueError, field '').
  if (typeof schemaVersion !== "string" || !schemas.allowedSchemaVersions.includes(schemaVersion)) {
    return [
      {
        field: "",
        message: `Metadata version ${String(schemaVersion)} is not allowed. Allowed are: ${schemas.allowedSchemaVersions.join(", ")}.`,
      },
    ];
  }
  const errors: ValidationIssue[] = [];
  const summary = metadata.assetsSummary as { numberOfBytes: number; numberOfFiles: number };
  // A model validator in dandischema, which the JSON Schema cannot express.
  if (summary.numberOfBytes === 0 || summary.numberOfFiles === 0) {
    errors.push({ field: "assetsSummary", message: EMPTY_DANDISET_MESSAGE });
  }
  errors.push(...schemas.validate("PublishedDandiset", metadata));
  return errors;
}
