import type { Db, Upload } from "@dandi/db";
import { reloadTimestamps } from "../sql/timestamps";

export interface ListDandisetUploadsOptions {
  db: Db;
  dandisetId: number;
  offset: number;
  limit: number;
}

/** A page of a dandiset's pending multipart uploads, oldest first, with the total. */
export async function listDandisetUploads(
  options: ListDandisetUploadsOptions,
): Promise<{ count: number; rows: Upload[] }> {
  const { db, dandisetId, offset, limit } = options;
  const [count, rows] = await Promise.all([
    db.upload.count({ where: { dandisetId } }),
    db.upload.findMany({
      where: { dandisetId },
      orderBy: [{ created: "asc" }, { id: "asc" }],
      skip: offset,
      take: limit,
    }),
  ]);
  return { count, rows: await reloadTimestamps(db, "uploads", rows) };
}
