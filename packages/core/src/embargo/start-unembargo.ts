import type { PrismaClient } from "@dandi/db";
import { ApiError } from "../errors";
import { addOutboxJob } from "../outbox/add-outbox-job";

export interface StartUnembargoOptions {
  prisma: PrismaClient;
  dandisetId: number;
}

/**
 * DANDI's unembargo request: the dandiset must be EMBARGOED and have no active
 * uploads; it becomes UNEMBARGOING (which blocks every modification) and the
 * unembargoDandiset job is recorded in the outbox in the same transaction, for the caller
 * to drain after the commit (or to run `unembargoDandiset` itself).
 * The status check and the update are one conditional write, so two requests
 * cannot both start it.
 */
export async function startUnembargo({ prisma, dandisetId }: StartUnembargoOptions): Promise<{ outboxIds: bigint[] }> {
  return prisma.$transaction(async (tx) => {
    const dandiset = await tx.dandiset.findUnique({ where: { id: dandisetId }, select: { embargoStatus: true } });
    if (!dandiset) throw ApiError.notFound();
    if (dandiset.embargoStatus !== "EMBARGOED") throw ApiError.string(400, "Dandiset not embargoed");
    if ((await tx.upload.count({ where: { dandisetId } })) > 0) {
      throw ApiError.string(400, "Dandiset unembargo not allowed with active uploads");
    }
    const { count } = await tx.dandiset.updateMany({
      where: { id: dandisetId, embargoStatus: "EMBARGOED" },
      data: { embargoStatus: "UNEMBARGOING" },
    });
    if (count === 0) throw ApiError.string(400, "Dandiset not embargoed");
    return { outboxIds: [await addOutboxJob(tx, "unembargoDandiset", { dandisetId })] };
  });
}
