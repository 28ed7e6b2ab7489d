import { randomUUID } from "node:crypto";
import { Prisma, type PrismaClient, type User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { canReadDandiset, isOwner } from "../policies";
import type { TZarrRecord } from "./find-zarr";

export interface CreateZarrOptions {
  user: User;
  dandisetId: number;
  name: string;
}

/**
 * DANDI's zarr create: the dandiset must be visible (else 400 as an unknown pk),
 * owned (403) and not unembargoing (400); a (dandiset, name) pair is unique
 * (400 non_field_errors). Writes a `create_zarr` audit record.
 */
export async function createZarr(db: PrismaClient, options: CreateZarrOptions): Promise<TZarrRecord> {
  const { user, dandisetId, name } = options;
  const dandiset = await db.dandiset.findUnique({
    where: { id: dandisetId },
    include: { owners: { select: { userId: true } } },
  });
  const ownerIds = dandiset?.owners.map((o) => o.userId) ?? [];
  if (!dandiset || !canReadDandiset(user, { dandisetId, embargoStatus: dandiset.embargoStatus }, ownerIds)) {
    throw ApiError.fields({ dandiset: [`Invalid pk "${dandisetId}" - object does not exist.`] });
  }
  if (!isOwner(user, ownerIds)) throw ApiError.forbidden();
  if (dandiset.embargoStatus === "UNEMBARGOING") {
    throw ApiError.string(400, "Cannot add zarr to dandiset during unembargo");
  }
  const uniqueError = () =>
    ApiError.fields({ non_field_errors: ["The fields dandiset, name must make a unique set."] });
  if (await db.zarrArchive.findUnique({ where: { dandisetId_name: { dandisetId, name } }, select: { id: true } })) {
    throw uniqueError();
  }
  try {
    const zarr = await db.$transaction(async (tx) => {
      const created = await tx.zarrArchive.create({ data: { zarrId: randomUUID(), dandisetId, name } });
      await writeAuditRecord(tx, {
        dandisetId,
        user,
        recordType: "create_zarr",
        details: { zarr_id: created.zarrId, name },
      });
      return created;
    });
    return { ...zarr, embargoStatus: dandiset.embargoStatus, ownerIds };
  } catch (err) {
    // Two creates of one name at once: the unique index decides.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw uniqueError();
    throw err;
  }
}
