import type { PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { isOwner } from "../policies";

export interface DeleteDandisetOptions {
  db: PrismaClient;
  user: User;
  dandisetId: number;
}

/**
 * DANDI's delete_dandiset: owners only, never with a published version or
 * while publishing or unembargoing. Versions go first, then the dandiset, with
 * a delete_dandiset audit record, in one transaction.
 */
export async function deleteDandiset({ db, user, dandisetId }: DeleteDandisetOptions): Promise<void> {
  await db.$transaction(async (tx) => {
    const dandiset = await tx.dandiset.findUniqueOrThrow({
      where: { id: dandisetId },
      include: { owners: { select: { userId: true } }, versions: { select: { version: true, status: true } } },
    });
    if (
      !isOwner(
        user,
        dandiset.owners.map((o) => o.userId),
      )
    ) {
      throw ApiError.string(403, "Cannot delete dandisets which you do not own.");
    }
    if (dandiset.versions.some((v) => v.version !== "draft")) {
      throw ApiError.string(403, "Cannot delete dandisets with published versions.");
    }
    if (dandiset.versions.some((v) => v.status === "Publishing")) {
      throw ApiError.string(403, "Cannot delete dandisets that are currently being published.");
    }
    if (dandiset.embargoStatus === "UNEMBARGOING") {
      throw ApiError.string(400, "Dandiset modification not allowed during unembargo");
    }
    await writeAuditRecord(tx, { dandisetId, user, recordType: "delete_dandiset", details: {} });
    await tx.version.deleteMany({ where: { dandisetId } });
    await tx.dandiset.delete({ where: { id: dandisetId } });
  });
}
