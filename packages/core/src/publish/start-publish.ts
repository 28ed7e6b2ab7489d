import type { PrismaClient, User } from "@dandi/db";
import { ApiError } from "../errors";
import { addOutboxJob } from "../outbox/add-outbox-job";
import { canPublishDandiset } from "../policies";

export interface StartPublishOptions {
  db: PrismaClient;
  user: User | undefined;
  dandisetId: number;
  releaseNotes?: string;
}

const DRAFT_STATE_ERRORS: Record<string, [number, string]> = {
  Pending: [409, "Metadata validation is pending for this dandiset, please try again later."],
  Validating: [409, "Dandiset is currently being validated"],
  Invalid: [400, "Dandiset metadata or asset metadata is not valid"],
  Published: [400, "There have been no changes to the draft version since the last publish."],
  Publishing: [423, "Dandiset is currently being published"],
};

/**
 * The synchronous half of DANDI's publish: checks ownership, that the dandiset
 * is OPEN and has no zarr archive, and (with the draft row locked FOR UPDATE) that the draft and all its
 * assets are Valid; then marks the draft Publishing and stores the release
 * notes, and records the publishDandiset job in the outbox in the same transaction (so a
 * draft is never Publishing without its job). The caller drains `outboxIds` after the commit.
 */
export async function startPublish(options: StartPublishOptions): Promise<{ outboxIds: bigint[] }> {
  const { db, user, dandisetId, releaseNotes = "" } = options;
  const dandiset = await db.dandiset.findUnique({ where: { id: dandisetId }, include: { owners: true } });
  if (!dandiset) throw ApiError.notFound();
  if (
    !canPublishDandiset(
      user,
      dandiset.owners.map((o) => o.userId),
    )
  )
    throw ApiError.forbidden();
  if (dandiset.embargoStatus !== "OPEN") throw ApiError.string(400, "Operation only allowed on OPEN dandisets");
  // DANDI refuses any dandiset that has a zarr archive, whether or not an asset uses it.
  if (await db.zarrArchive.findFirst({ where: { dandisetId }, select: { id: true } })) {
    throw ApiError.string(400, "Cannot publish dandisets which contain zarrs");
  }

  return db.$transaction(async (tx) => {
    const [draft] = await tx.$queryRaw<{ id: number; status: string }[]>`
      SELECT id, status FROM versions WHERE dandiset_id = ${dandisetId} AND version = 'draft' FOR UPDATE`;
    if (!draft) throw ApiError.notFound();
    if (draft.status !== "Valid") {
      const [status, message] = DRAFT_STATE_ERRORS[draft.status] ?? DRAFT_STATE_ERRORS.Invalid!;
      throw ApiError.string(status, message);
    }
    const [notValid] = await tx.$queryRaw<{ n: number }[]>`
      SELECT 1 AS n FROM version_assets va JOIN assets a ON a.id = va.asset_id
      WHERE va.version_id = ${draft.id} AND a.status <> 'Valid' LIMIT 1`;
    if (notValid) throw ApiError.string(400, DRAFT_STATE_ERRORS.Invalid![1]);
    await tx.version.update({
      where: { id: draft.id },
      data: { status: "Publishing", releaseNotes, modified: new Date() },
    });
    return { outboxIds: [await addOutboxJob(tx, "publishDandiset", { dandisetId, userId: user!.id })] };
  });
}
