import type { PrismaClient } from "@dandi/db";
import type { TConfig } from "../config";
import { formatDandisetIdentifier } from "../versions/populate-version-metadata";
import { buildDatacitePayload } from "./build-datacite-payload";
import { formatConceptDoi, formatVersionDoi } from "./register-version-doi";
import { isDataciteConfigured, sendToDatacite } from "./send-to-datacite";

export type TConceptDoiStatus = "pending" | "registered" | "failed" | "not-configured";

export interface RegisterConceptDoiOptions {
  db: PrismaClient;
  config: Pick<
    TConfig,
    | "DANDI_DOI_API_URL"
    | "DANDI_DOI_API_USER"
    | "DANDI_DOI_API_PASSWORD"
    | "DANDI_DOI_API_PREFIX"
    | "DANDI_DOI_PUBLISH"
    | "DANDI_INSTANCE_NAME"
    | "DANDI_WEB_APP_URL"
  >;
  dandisetId: number;
  /** After this many failed attempts at one target version the state becomes "failed" (the job's attempts). */
  maxAttempts: number;
}

export type TRegisterConceptDoiResult =
  | { status: "registered" | "not-configured" | "already-registered"; doi: string; version: string }
  | { status: "skipped"; reason: string };

/**
 * Registers the dandiset's concept DOI at DataCite, or moves it to the newest published
 * version (its URL is that version's landing page, and it "HasVersion" the version's DOI).
 * The state is kept on the dandiset: "pending" with the attempt count and the last error
 * while DataCite refuses or cannot be reached (the error is thrown again, so the job is
 * retried with backoff), "failed" once `maxAttempts` attempts at this version failed,
 * "registered" once DataCite took it, "not-configured" without DataCite settings (the DOI
 * is still shown, as the version DOIs are). Only OPEN dandisets have one. Safe to run twice.
 */
export async function registerConceptDoi(options: RegisterConceptDoiOptions): Promise<TRegisterConceptDoiResult> {
  const { db, config, dandisetId, maxAttempts } = options;
  const dandiset = await db.dandiset.findUnique({ where: { id: dandisetId } });
  if (!dandiset) return { status: "skipped", reason: "no such dandiset" };
  if (dandiset.embargoStatus !== "OPEN") return { status: "skipped", reason: "not open" };
  const latest = await db.version.findFirst({
    where: { dandisetId, version: { not: "draft" } },
    orderBy: { id: "desc" },
  });
  if (!latest) return { status: "skipped", reason: "no published version" };
  const doi = formatConceptDoi(config, dandisetId);
  const configured = isDataciteConfigured(config);
  if (
    dandiset.conceptDoiVersion === latest.version &&
    dandiset.conceptDoiStatus === (configured ? "registered" : "not-configured")
  ) {
    return { status: "already-registered", doi, version: latest.version };
  }
  const retargeted = dandiset.conceptDoiVersion !== latest.version;
  if (!configured) {
    await db.$executeRaw`
      UPDATE dandisets SET concept_doi = ${doi}, concept_doi_version = ${latest.version},
        concept_doi_status = 'not-configured', concept_doi_attempts = 0, concept_doi_error = NULL,
        concept_doi_updated = now()
      WHERE id = ${dandisetId}`;
    return { status: "not-configured", doi, version: latest.version };
  }
  // Counted before the call, so that a crash mid-call still shows as an attempt.
  const [row] = await db.$queryRaw<{ attempts: number }[]>`
    UPDATE dandisets SET concept_doi = ${doi}, concept_doi_version = ${latest.version},
      concept_doi_status = 'pending',
      concept_doi_attempts = CASE WHEN ${retargeted} THEN 1 ELSE concept_doi_attempts + 1 END,
      concept_doi_updated = now()
    WHERE id = ${dandisetId}
    RETURNING concept_doi_attempts AS attempts`;
  const url = `${config.DANDI_WEB_APP_URL}/dandiset/${formatDandisetIdentifier(dandisetId)}/${latest.version}`;
  const payload = buildDatacitePayload(doi, latest.metadata as Record<string, unknown>, config.DANDI_DOI_PUBLISH, {
    url,
    version: "",
    relatedIdentifiers: [
      {
        relatedIdentifier: latest.doi ?? formatVersionDoi(config, dandisetId, latest.version),
        relationType: "HasVersion",
      },
    ],
  });
  try {
    await sendToDatacite(config, doi, payload);
  } catch (err) {
    const failed = (row?.attempts ?? 1) >= maxAttempts;
    await db.$executeRaw`
      UPDATE dandisets SET concept_doi_status = ${failed ? "failed" : "pending"},
        concept_doi_error = ${(err as Error).message.slice(0, 500)}, concept_doi_updated = now()
      WHERE id = ${dandisetId} AND concept_doi_version = ${latest.version}`;
    throw err;
  }
  await db.$executeRaw`
    UPDATE dandisets SET concept_doi_status = 'registered', concept_doi_error = NULL, concept_doi_updated = now()
    WHERE id = ${dandisetId} AND concept_doi_version = ${latest.version}`;
  return { status: "registered", doi, version: latest.version };
}
