import type { Db, Upload } from "@dandi/db";
import { ApiError } from "../errors";
import { assertCanReadDandiset, type Actor } from "../policies";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export interface FindVisibleUploadOptions {
  db: Db;
  actor: Actor;
  uploadId: string;
}

/**
 * The Upload with this upload_id, or a 404: for unknown ids, and (the read
 * policy; DANDI's embargoed uploads) for uploads into a dandiset the caller may
 * not read.
 */
export async function findVisibleUpload({ db, actor, uploadId }: FindVisibleUploadOptions): Promise<Upload> {
  if (!UUID_RE.test(uploadId)) throw ApiError.notFound();
  const upload = await db.upload.findUnique({
    where: { uploadId },
    include: { dandiset: { select: { embargoStatus: true, owners: { select: { userId: true } } } } },
  });
  if (!upload) throw ApiError.notFound();
  const ownerIds = upload.dandiset.owners.map((o) => o.userId);
  assertCanReadDandiset(
    actor,
    { dandisetId: upload.dandisetId, embargoStatus: upload.dandiset.embargoStatus },
    ownerIds,
    "hide",
  );
  const { dandiset: _dandiset, ...row } = upload;
  return row;
}
