import type { PrismaClient } from "@dandi/db";
import type { TConfig } from "../config";
import type { SchemaCatalog } from "../schemas";
import { buildValidatableMetadata, draftValidationIssues, type TInstanceSettings } from "@dandi/shared";
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
      instance: instanceSettings(config),
      identifier: formatDandisetIdentifier(version.dandisetId),
      now,
      datePublished: formatPythonIsoformat(now),
      publishedBy: buildPublishActivity(config, now),
      hasBytes: version.size > 0n,
      hasFiles: version.assetCount > 0n,
    });
    const errors = draftValidationIssues(
      (doc) => schemas.validate("PublishedDandiset", doc),
      schemas.allowedSchemaVersions,
      metadata,
    );
    const status = errors.length === 0 ? "Valid" : "Invalid";
    await tx.version.update({
      where: { id: versionId },
      data: { status, validationErrors: errors as unknown as object[], modified: new Date() },
    });
    return status;
  });
}

function instanceSettings(config: ValidateVersionMetadataOptions["config"]): TInstanceSettings {
  return {
    instanceName: config.DANDI_INSTANCE_NAME,
    instanceIdentifier: config.DANDI_INSTANCE_IDENTIFIER,
    webAppUrl: config.DANDI_WEB_APP_URL,
    doiPrefix: config.DANDI_DOI_API_PREFIX,
  };
}
