import { isDeepStrictEqual } from "node:util";
import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import type { TConfig } from "../config";
import { ApiError } from "../errors";
import { assertMetadataBounds, METADATA_SAVE_TRANSACTION_OPTIONS } from "../validation/json-bounds";
import { populateVersionMetadata } from "./populate-version-metadata";
import { stripVersionMetadata, type TMetadata } from "./strip-version-metadata";

export interface UpdateVersionMetadataOptions {
  db: PrismaClient;
  config: Pick<TConfig, "DANDI_INSTANCE_NAME" | "DANDI_WEB_APP_URL" | "DANDI_API_URL">;
  user: User;
  dandisetId: number;
  version: string;
  name: string;
  metadata: TMetadata;
}

/**
 * DANDI's version PUT: only drafts; computed fields are stripped (the stored
 * assetsSummary is kept); the version is saved only when (name, stripped
 * metadata) changed, and then goes back to Pending with an update_metadata
 * audit record. Returns whether it changed.
 * The caller has checked ownership.
 */
export async function updateVersionMetadata(options: UpdateVersionMetadataOptions): Promise<boolean> {
  const { db, config, user, dandisetId, version, name } = options;
  if (version !== "draft") throw ApiError.string(405, "Only draft versions can be modified.");
  assertMetadataBounds(options.metadata);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM versions WHERE dandiset_id = ${dandisetId} AND version = 'draft' FOR UPDATE`;
    const draft = await tx.version.findUnique({
      where: { dandisetId_version: { dandisetId, version } },
      include: { dandiset: true },
    });
    if (!draft) throw ApiError.notFound();
    if (draft.dandiset.embargoStatus === "UNEMBARGOING") {
      throw ApiError.string(400, "Dandiset modification not allowed during unembargo");
    }
    const next = stripVersionMetadata(options.metadata);
    const current = stripVersionMetadata(draft.metadata as TMetadata);
    if (draft.name === name && isDeepStrictEqual(current, next)) return false;

    // assetsSummary is the worker's (aggregateAssetsSummary job): a save keeps it rather than zeroing it.
    const summary = (draft.metadata as TMetadata).assetsSummary;
    const populated = populateVersionMetadata({
      metadata: summary === undefined ? next : { ...next, assetsSummary: summary },
      name,
      version,
      dandiset: draft.dandiset,
      config,
      doi: draft.doi,
    });
    await tx.version.update({
      where: { id: draft.id },
      data: { name, metadata: populated as object, status: "Pending", modified: new Date() },
    });
    await writeAuditRecord(tx, {
      dandisetId,
      user,
      recordType: "update_metadata",
      details: { metadata: populated as object },
    });
    return true;
  }, METADATA_SAVE_TRANSACTION_OPTIONS);
}
