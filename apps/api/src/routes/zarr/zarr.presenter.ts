import type { TZarrRecord, ListedObject } from "@dandi/core";

/** DANDI's ZarrArchiveSerializer: {name, dandiset, zarr_id, status, checksum, file_count, size}. */
export function presentZarr(zarr: TZarrRecord) {
  return {
    name: zarr.name,
    dandiset: String(zarr.dandisetId).padStart(6, "0"),
    zarr_id: zarr.zarrId,
    status: zarr.status,
    checksum: zarr.checksum,
    file_count: Number(zarr.fileCount),
    size: Number(zarr.size),
  };
}

/** Python's str() of an aware UTC datetime, as DRF's CharField renders boto's LastModified. */
export function formatPythonDatetime(date: Date): string {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.678Z
  const ms = date.getUTCMilliseconds();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms ? `.${String(ms * 1000).padStart(6, "0")}` : ""}+00:00`;
}

/** One entry of GET /api/zarr/{id}/files/: the key relative to the zarr, S3's other fields as they are. */
export function presentZarrFile(object: ListedObject, prefix: string) {
  return {
    Key: object.key.slice(prefix.length),
    LastModified: formatPythonDatetime(object.lastModified),
    ETag: object.etag,
    Size: object.size,
  };
}
