import { type Db, type Version } from "@dandi/db";
import { reviveTimestamps, selectModelColumns } from "../sql/select-model-columns";

/** Every Version field and its column: a field added to the model fails to compile until listed here. */
const VERSION_COLUMNS: Record<keyof Version, string> = {
  id: "id",
  dandisetId: "dandiset_id",
  version: "version",
  name: "name",
  metadata: "metadata",
  status: "status",
  validationErrors: "validation_errors",
  doi: "doi",
  releaseNotes: "release_notes",
  assetCount: "asset_count",
  size: "size",
  created: "created",
  modified: "modified",
};

const TIMESTAMPS = ["created", "modified"] as const;
const SELECT_VERSION = selectModelColumns("v", VERSION_COLUMNS, TIMESTAMPS);

/**
 * One version of a dandiset by name ("draft" or "0.YYMMDD.HHMM"), or null. Raw,
 * like findDandisetWithOwners: a Prisma findUnique is compiled on every call.
 */
export async function findDandisetVersion(db: Db, dandisetId: number, version: string): Promise<Version | null> {
  const [row] = await db.$queryRaw<Version[]>`
    SELECT ${SELECT_VERSION} FROM versions v WHERE v.dandiset_id = ${dandisetId} AND v.version = ${version}`;
  return row ? reviveTimestamps(row, TIMESTAMPS) : null;
}
