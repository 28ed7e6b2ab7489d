import { Prisma, type Db, type EmbargoStatus } from "@dandi/db";
import { parseTimestamp, timestampText } from "../sql/timestamps";

/** A version as the dandiset list and detail shapes show it. */
export interface TVersionSummary {
  id: number;
  dandisetId: number;
  version: string;
  name: string;
  status: string;
  assetCount: bigint;
  size: bigint;
  created: Date;
  modified: Date;
  /**
   * DANDI serves metadata.releaseNotes: absent from drafts (a stripped field), and on a
   * published version equal to its release_notes column, which is read instead so
   * that a page of versions never detoasts metadata.
   */
  releaseNotes: string;
  contactPerson: string | null;
}

export interface TDandisetView {
  id: number;
  created: Date;
  modified: Date;
  embargoStatus: EmbargoStatus;
  starCount: number;
  isStarred: boolean;
  draftVersion: TVersionSummary | null;
  publishedVersion: TVersionSummary | null;
  /** From the published version when there is one, else the draft; "" if none. */
  contactPerson: string;
  /** Pending uploads (DANDI's active_uploads), counted only when asked (countUploads); else 0. */
  activeUploads: number;
  /** The concept DOI (all versions) and the state of its registration, or null before the first publish. */
  conceptDoi: TConceptDoiState | null;
}

export interface TConceptDoiState {
  doi: string;
  /** pending | registered | failed | not-configured */
  status: string;
  /** The published version it points at. */
  version: string | null;
  attempts: number;
  lastError: string | null;
  updated: Date | null;
}

export interface LoadDandisetViewsOptions {
  /** Dandiset ids, in the order the results should come back. */
  ids: number[];
  userId?: number;
  /**
   * Which published version to show: "max-id" (the list endpoints) or
   * "latest-modified" (detail and create, Dandiset.most_recent_published_version).
   */
  published: "max-id" | "latest-modified";
  /** Count each dandiset's pending uploads into activeUploads (the detail shapes). */
  countUploads?: boolean;
}

const VERSION_FIELDS = [
  "id",
  "dandisetId",
  "version",
  "name",
  "status",
  "assetCount",
  "size",
  "created",
  "modified",
  "releaseNotes",
  "contactPerson",
] as const;

/** A version's TVersionSummary columns, each prefixed (`draft_name`, ...), or NULLs. */
function versionColumns(alias: string): Prisma.Sql {
  const v = (column: string) => Prisma.raw(`${alias}.${column}`);
  const sources: Record<(typeof VERSION_FIELDS)[number], Prisma.Sql> = {
    id: v("id"),
    dandisetId: v("dandiset_id"),
    version: v("version"),
    name: v("name"),
    status: v("status"),
    assetCount: v("asset_count"),
    size: v("size"),
    created: timestampText(v("created")),
    modified: timestampText(v("modified")),
    releaseNotes: Prisma.sql`CASE WHEN ${v("version")} = 'draft' THEN '' ELSE ${v("release_notes")} END`,
    contactPerson: v("contact_person"),
  };
  return Prisma.join(
    VERSION_FIELDS.map((field) => Prisma.sql`${sources[field]} AS ${Prisma.raw(`"${alias}_${field}"`)}`),
  );
}

function pickVersion(row: Record<string, unknown>, alias: string): TVersionSummary | null {
  if (row[`${alias}_id`] === null) return null;
  const version = Object.fromEntries(
    VERSION_FIELDS.map((field) => [field, row[`${alias}_${field}`]]),
  ) as unknown as TVersionSummary;
  version.created = parseTimestamp(row[`${alias}_created`] as string);
  version.modified = parseTimestamp(row[`${alias}_modified`] as string);
  return version;
}

/**
 * Everything the DandisetList/DandisetDetail shapes need for a page of
 * dandisets, in one statement whatever the page size: each dandiset with its
 * draft and published version as LIMITed probes of the versions index. The star
 * count is dandisets.star_count (kept by a trigger on dandiset_stars).
 */
export async function loadDandisetViews(db: Db, options: LoadDandisetViewsOptions): Promise<TDandisetView[]> {
  const { ids, userId } = options;
  if (ids.length === 0) return [];
  const publishedOrder =
    options.published === "max-id" ? Prisma.sql`v.id DESC` : Prisma.sql`v.modified DESC, v.id DESC`;
  const isStarred =
    userId === undefined
      ? Prisma.sql`false`
      : Prisma.sql`EXISTS (SELECT 1 FROM dandiset_stars s WHERE s.dandiset_id = d.id AND s.user_id = ${userId})`;
  const uploads = options.countUploads
    ? Prisma.sql`(SELECT count(*) FROM uploads u WHERE u.dandiset_id = d.id)`
    : Prisma.sql`0`;
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT d.id, ${timestampText(Prisma.sql`d.created`)} AS created, ${timestampText(Prisma.sql`d.modified`)} AS modified,
           d.embargo_status AS "embargoStatus", d.star_count AS "starCount",
           ${isStarred} AS "isStarred", ${uploads}::int AS "activeUploads",
           d.concept_doi AS "conceptDoi", d.concept_doi_status AS "conceptDoiStatus",
           d.concept_doi_version AS "conceptDoiVersion", d.concept_doi_attempts AS "conceptDoiAttempts",
           d.concept_doi_error AS "conceptDoiError", ${timestampText(Prisma.sql`d.concept_doi_updated`)} AS "conceptDoiUpdated",
           ${versionColumns("draft")}, ${versionColumns("published")}
    FROM unnest(${ids}::int[]) WITH ORDINALITY AS x(id, n)
    JOIN dandisets d ON d.id = x.id
    LEFT JOIN LATERAL (SELECT * FROM versions v WHERE v.dandiset_id = d.id AND v.version = 'draft' LIMIT 1) draft ON true
    LEFT JOIN LATERAL (SELECT * FROM versions v WHERE v.dandiset_id = d.id AND v.version <> 'draft'
                       ORDER BY ${publishedOrder} LIMIT 1) published ON true
    ORDER BY x.n`;
  return rows.map((row) => {
    const draftVersion = pickVersion(row, "draft");
    const publishedVersion = pickVersion(row, "published");
    return {
      id: row.id as number,
      created: parseTimestamp(row.created as string),
      modified: parseTimestamp(row.modified as string),
      embargoStatus: row.embargoStatus as EmbargoStatus,
      starCount: row.starCount as number,
      isStarred: row.isStarred as boolean,
      draftVersion,
      publishedVersion,
      contactPerson: (publishedVersion ?? draftVersion)?.contactPerson ?? "",
      activeUploads: row.activeUploads as number,
      conceptDoi: row.conceptDoi
        ? {
            doi: row.conceptDoi as string,
            status: row.conceptDoiStatus as string,
            version: row.conceptDoiVersion as string | null,
            attempts: row.conceptDoiAttempts as number,
            lastError: row.conceptDoiError as string | null,
            updated: parseTimestamp(row.conceptDoiUpdated as string | null),
          }
        : null,
    };
  });
}
