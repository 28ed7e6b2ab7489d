import type { PrismaClient, User } from "@dandi/db";
import type { Logger } from "pino";
import { writeAuditRecord } from "../audit";
import { zarrKeyPrefix, type Storage } from "../storage/storage";
import type { Mailer } from "../mail/mailer";
import { buildUnembargoMessage } from "../mail/messages";

export interface UnembargoDandisetOptions {
  prisma: PrismaClient;
  storage: Storage;
  mailer: Mailer;
  logger: Logger;
  webAppUrl: string;
  dandisetId: number;
  /** Who asked for it (audit record); the system account for automatic unembargoes. */
  user: Pick<User, "username" | "email" | "firstName" | "lastName">;
}

/** Manifest files the worker writes per version (tagged embargoed while embargoed). */
const MANIFEST_FILES = ["dandiset.yaml", "assets.yaml", "dandiset.jsonld", "assets.jsonld", "collection.jsonld"];
const TAG_CONCURRENCY = 4;

function today(): Date {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

async function clearTags(storage: Storage, keys: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      await storage.setEmbargoedTag(key, false);
    }
  };
  await Promise.all(Array.from({ length: Math.min(TAG_CONCURRENCY, keys.length) }, worker));
}

/**
 * Finishes an unembargo (DANDI's unembargo_dandiset_task). Requires UNEMBARGOING
 * and no uploads; otherwise it does nothing and returns false (safe to run twice).
 * Removes the `embargoed` tag from every blob, zarr file and manifest object, then in one
 * transaction: blobs embargoed=false, assets Pending, dandiset OPEN with
 * embargo_end_date=today, draft access OpenAccess and status Pending, audit
 * `unembargo_dandiset`. E-mails the owners afterwards, or on failure sends
 * "Unembargo failed" and rethrows (the dandiset stays UNEMBARGOING for a retry).
 */
export async function unembargoDandiset(options: UnembargoDandisetOptions): Promise<boolean> {
  const { prisma, storage, mailer, logger, webAppUrl, dandisetId, user } = options;
  const dandiset = await prisma.dandiset.findUnique({
    where: { id: dandisetId },
    include: { owners: { include: { user: true } }, versions: { select: { version: true } } },
  });
  if (!dandiset || dandiset.embargoStatus !== "UNEMBARGOING") return false;
  if ((await prisma.upload.count({ where: { dandisetId } })) > 0) return false;
  const identifier = String(dandisetId).padStart(6, "0");
  const owners = dandiset.owners.map((o) => o.user);
  const ctx = { adminEmail: mailer.adminEmail, webAppUrl };
  try {
    const blobs = await prisma.assetBlob.findMany({
      where: { embargoed: true, assets: { some: { versions: { some: { version: { dandisetId } } } } } },
      select: { id: true, key: true },
    });
    const manifestKeys: string[] = [];
    for (const v of dandiset.versions) {
      for (const file of MANIFEST_FILES) {
        const key = `dandisets/${identifier}/${v.version}/${file}`;
        if (await storage.headObject(key)) manifestKeys.push(key);
      }
    }
    await clearTags(storage, [...blobs.map((b) => b.key), ...manifestKeys]);
    // Every zarr file of the dandiset was uploaded with the tag (DANDI's zarr presigned PUT Tagging).
    const zarrs = await prisma.zarrArchive.findMany({ where: { dandisetId }, select: { zarrId: true } });
    for (const { zarrId } of zarrs) {
      let startAfter: string | undefined;
      for (;;) {
        const page = await storage.listObjects(zarrKeyPrefix(zarrId), { startAfter });
        await clearTags(
          storage,
          page.objects.map((o) => o.key),
        );
        if (!page.isTruncated || page.objects.length === 0) break;
        startAfter = page.objects[page.objects.length - 1]!.key;
      }
    }
    await prisma.$transaction(async (tx) => {
      await tx.assetBlob.updateMany({ where: { id: { in: blobs.map((b) => b.id) } }, data: { embargoed: false } });
      await tx.asset.updateMany({
        where: { versions: { some: { version: { dandisetId } } } },
        data: { status: "Pending" },
      });
      await tx.dandiset.update({ where: { id: dandisetId }, data: { embargoStatus: "OPEN", embargoEndDate: today() } });
      const draft = await tx.version.findUnique({ where: { dandisetId_version: { dandisetId, version: "draft" } } });
      if (draft) {
        const metadata = { ...(draft.metadata as Record<string, unknown>) };
        metadata.access = [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }];
        await tx.version.update({
          where: { id: draft.id },
          data: { metadata: metadata as object, status: "Pending", modified: new Date() },
        });
      }
      await writeAuditRecord(tx, { dandisetId, user, recordType: "unembargo_dandiset", details: {} });
    });
  } catch (err) {
    logger.error({ err, dandisetId }, "unembargo failed");
    await mailer.send(buildUnembargoMessage(owners, "failed", { identifier }, ctx));
    throw err;
  }
  await mailer.send(buildUnembargoMessage(owners, "done", { identifier }, ctx));
  return true;
}
