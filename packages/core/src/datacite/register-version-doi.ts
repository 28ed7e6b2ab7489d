import type { Prisma, PrismaClient } from "@dandi/db";
import type { TConfig } from "../config";
import type { Storage } from "../storage/storage";
import { formatDandisetIdentifier, populateVersionMetadata } from "../versions/populate-version-metadata";
import { buildDatacitePayload } from "./build-datacite-payload";
import { isDataciteConfigured, sendToDatacite } from "./send-to-datacite";

export interface RegisterVersionDoiOptions {
  db: PrismaClient;
  storage: Pick<Storage, "objectUrl">;
  config: Pick<
    TConfig,
    | "DANDI_DOI_API_URL"
    | "DANDI_DOI_API_USER"
    | "DANDI_DOI_API_PASSWORD"
    | "DANDI_DOI_API_PREFIX"
    | "DANDI_DOI_PUBLISH"
    | "DANDI_INSTANCE_NAME"
    | "DANDI_WEB_APP_URL"
    | "DANDI_API_URL"
  >;
  versionId: number;
}

export type TRegisterDoiResult = { status: "registered" | "not-configured" | "already-set" | "skipped"; doi?: string };

/** DANDI's DOI of a version: {prefix}/{instance}.{id}/{version}. */
export function formatVersionDoi(
  config: Pick<TConfig, "DANDI_DOI_API_PREFIX" | "DANDI_INSTANCE_NAME">,
  dandisetId: number,
  version: string,
) {
  return `${config.DANDI_DOI_API_PREFIX}/${config.DANDI_INSTANCE_NAME.toLowerCase()}.${formatDandisetIdentifier(dandisetId)}/${version}`;
}

/** The dandiset's concept DOI, {prefix}/{instance}.{id}: the version DOIs without the version. */
export function formatConceptDoi(
  config: Pick<TConfig, "DANDI_DOI_API_PREFIX" | "DANDI_INSTANCE_NAME">,
  dandisetId: number,
) {
  return `${config.DANDI_DOI_API_PREFIX}/${config.DANDI_INSTANCE_NAME.toLowerCase()}.${formatDandisetIdentifier(dandisetId)}`;
}

/**
 * Creates the version's DOI at DataCite (when URL, user and password are all
 * set; an existing DOI is updated instead) and stores it on the version, with
 * its metadata and citation repopulated. The write to the published version
 * runs with dandi.publishing on, which the immutability trigger requires.
 * Safe to run twice.
 */
export async function registerVersionDoi(options: RegisterVersionDoiOptions): Promise<TRegisterDoiResult> {
  const { db, storage, config, versionId } = options;
  const version = await db.version.findUnique({ where: { id: versionId }, include: { dandiset: true } });
  if (!version || version.version === "draft") return { status: "skipped" };
  const doi = formatVersionDoi(config, version.dandisetId, version.version);
  if (version.doi === doi) return { status: "already-set", doi };

  const configured = isDataciteConfigured(config);
  if (configured) {
    const payload = buildDatacitePayload(doi, version.metadata as Record<string, unknown>, config.DANDI_DOI_PUBLISH, {
      relatedIdentifiers: [
        { relatedIdentifier: formatConceptDoi(config, version.dandisetId), relationType: "IsVersionOf" },
      ],
    });
    await sendToDatacite(config, doi, payload);
  }
  const metadata = populateVersionMetadata({
    metadata: version.metadata as Record<string, unknown>,
    name: version.name,
    version: version.version,
    doi,
    dandiset: version.dandiset,
    config,
    objectUrl: (k) => storage.objectUrl(k),
  });
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SET LOCAL dandi.publishing = 'on'`);
    await tx.version.update({ where: { id: versionId }, data: { doi, metadata: metadata as Prisma.InputJsonValue } });
  });
  return { status: configured ? "registered" : "not-configured", doi };
}
