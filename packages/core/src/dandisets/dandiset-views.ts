import { Prisma, type Db, type EmbargoStatus } from "@dandi/db";

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
}

/**
 * Everything the DandisetList/DandisetDetail shapes need for a page of
 * dandisets, in three queries whatever the page size.
 */
export async function loadDandisetViews(db: Db, options: LoadDandisetViewsOptions): Promise<TDandisetView[]> {
  const { ids, userId } = options;
  if (ids.length === 0) return [];
  const publishedOrder =
    options.published === "max-id" ? Prisma.sql`v.id DESC` : Prisma.sql`v.modified DESC, v.id DESC`;
  const [dandisets, versions, stars] = await Promise.all([
    db.dandiset.findMany({ where: { id: { in: ids } } }),
    db.$queryRaw<TVersionSummary[]>`
      SELECT * FROM (
        SELECT DISTINCT ON (v.dandiset_id, v.version = 'draft')
          v.id, v.dandiset_id AS "dandisetId", v.version, v.name, v.status, v.asset_count AS "assetCount",
          v.size, v.created, v.modified, CASE WHEN v.version = 'draft' THEN '' ELSE v.release_notes END AS "releaseNotes", v.contact_person AS "contactPerson"
        FROM versions v
        WHERE v.dandiset_id = ANY(${ids})
        ORDER BY v.dandiset_id, v.version = 'draft', ${publishedOrder}
      ) x`,
    db.$queryRaw<{ dandisetId: number; count: bigint; mine: boolean }[]>`
      SELECT dandiset_id AS "dandisetId", count(*) AS count, bool_or(user_id = ${userId ?? -1}) AS mine
      FROM dandiset_stars WHERE dandiset_id = ANY(${ids}) GROUP BY dandiset_id`,
  ]);
  const byId = new Map(dandisets.map((d) => [d.id, d]));
  const starsById = new Map(stars.map((s) => [s.dandisetId, s]));
  const drafts = new Map<number, TVersionSummary>();
  const published = new Map<number, TVersionSummary>();
  for (const v of versions) (v.version === "draft" ? drafts : published).set(v.dandisetId, v);
  return ids.flatMap((id) => {
    const d = byId.get(id);
    if (!d) return [];
    const draftVersion = drafts.get(id) ?? null;
    const publishedVersion = published.get(id) ?? null;
    const star = starsById.get(id);
    return [
      {
        id,
        created: d.created,
        modified: d.modified,
        embargoStatus: d.embargoStatus,
        starCount: Number(star?.count ?? 0),
        isStarred: !!star?.mine,
        draftVersion,
        publishedVersion,
        contactPerson: (publishedVersion ?? draftVersion)?.contactPerson ?? "",
      },
    ];
  });
}
