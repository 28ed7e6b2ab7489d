import type { ApplicationStats } from "@dandi/db";

/** GET /api/stats/: the latest computed row, zeros before the first computation. */
export function presentStats(stats: ApplicationStats | null) {
  return {
    dandiset_count: stats?.dandisetCount ?? 0,
    published_dandiset_count: stats?.publishedDandisetCount ?? 0,
    user_count: stats?.userCount ?? 0,
    size: stats?.size ?? 0,
    /** Not in DANDI's response: successful blob downloads counted from the S3 access logs. */
    download_count: stats?.downloadCount ?? 0,
  };
}
