import type { Prisma, PrismaClient } from "@dandi/db";
import type { TConfig } from "../config";
import type { Storage } from "../storage/storage";
import { formatDandisetIdentifier, populateVersionMetadata } from "../versions/populate-version-metadata";
import { buildDatacitePayload } from "./build-datacite-payload";

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
export function formatVersionDoi(config: RegisterVersionDoiOptions["config"], dandisetId: number, version: string) {
  return `${config.DANDI_DOI_API_PREFIX}/${config.DANDI_INSTANCE_NAME.toLowerCase()}.${formatDandisetIdentifier(dandisetId)}/${version}`;
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

  const configured = !!(config.DANDI_DOI_API_URL && config.DANDI_DOI_API_USER && config.DANDI_DOI_API_PASSWORD);
  if (configured) {
    const payload = buildDatacitePayload(doi, version.metadata as Record<string, unknown>, config.DANDI_DOI_PUBLISH);
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

async function sendToDatacite(config: RegisterVersionDoiOptions["config"], doi: string, payload: unknown) {
  const auth = Buffer.from(`${config.DANDI_DOI_API_USER}:${config.DANDI_DOI_API_PASSWORD}`).toString("base64");
  const headers = { "Content-Type": "application/vnd.api+json", Authorization: `Basic ${auth}` };
  const body = JSON.stringify(payload);
  const created = await fetch(`${config.DANDI_DOI_API_URL}/dois`, { method: "POST", headers, body });
  if (created.ok) return;
  // 422 "This DOI has already been taken": an earlier attempt got through; update it instead.
  if (created.status === 422) {
    const updated = await fetch(`${config.DANDI_DOI_API_URL}/dois/${doi}`, { method: "PUT", headers, body });
    if (updated.ok) return;
    throw new Error(`DataCite PUT /dois/${doi} failed: ${updated.status} ${await updated.text()}`);
  }
  throw new Error(`DataCite POST /dois failed: ${created.status} ${await created.text()}`);
}
