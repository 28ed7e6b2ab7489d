export const DEFAULT_PART_SIZE = 64 * 1024 * 1024;
export const MAX_PARTS = 10_000;
/** S3's largest object. */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;

export interface EtagPart {
  partNumber: number;
  offset: number;
  size: number;
}

/**
 * DANDI's part schedule (dandischema `PartGenerator.for_file_size`): 64 MiB
 * parts, larger ones when that would need 10,000 parts or more; the last part
 * holds the remainder. The dandi CLI refuses an upload whose parts differ.
 * Throws for sizes below 1 or above 5 TiB.
 */
export function planEtagParts(size: number): EtagPart[] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("Size must be a positive integer.");
  if (size > MAX_OBJECT_SIZE) throw new RangeError("File is larger than the S3 maximum object size.");
  let partSize = DEFAULT_PART_SIZE;
  if (Math.ceil(size / partSize) >= MAX_PARTS) partSize = Math.ceil(size / MAX_PARTS);
  let count = Math.floor(size / partSize);
  let last = size % partSize;
  if (last === 0) last = partSize;
  else count += 1;
  const parts: EtagPart[] = [];
  for (let i = 0; i < count; i++) {
    parts.push({ partNumber: i + 1, offset: i * partSize, size: i === count - 1 ? last : partSize });
  }
  return parts;
}

/** DANDI's etag format (AssetBlob.etag): 32 hex digits, "-", the part count. */
export const DANDI_ETAG_REGEX = /^[0-9a-f]{32}-\d{1,5}$/;
