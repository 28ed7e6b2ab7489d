import { CompleteMultipartUploadCommand, UploadPartCommand, type S3Client } from "@aws-sdk/client-s3";
import { Readable } from "node:stream";
import type { Storage } from "../storage/storage";

/** S3's minimum for every part but the last. */
const PART_SIZE = 8 * 1024 * 1024;

interface LocalMultipart {
  uploadPart(uploadId: string, partNumber: number, body: Readable, length: number): Promise<string>;
  completeMultipartUpload(uploadId: string, xmlBody: string): Promise<unknown>;
}

/**
 * Writes one storage object from many small strings with bounded memory: up to
 * one 8 MiB part is buffered, full parts go out as a multipart upload. An object
 * smaller than one part is a single PUT. One part at a time uploads in the
 * background while the next is being filled, so the caller's serialising and
 * the network (S3) overlap; at most two parts are held.
 */
export class ChunkedObjectWriter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private uploadId: string | null = null;
  private readonly parts: { partNumber: number; etag: string }[] = [];
  /** The part being uploaded, if any; its failure surfaces at the next write or close. */
  private uploading: Promise<void> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly key: string,
    private readonly options: { embargoed: boolean; contentType: string; bucket?: string },
  ) {}

  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, "utf8");
    this.chunks.push(buf);
    this.buffered += buf.length;
    if (this.buffered >= PART_SIZE) await this.startPart();
  }

  /** Completes the object. */
  async close(): Promise<void> {
    if (this.uploadId === null) {
      await this.storage.putObject(this.key, Buffer.concat(this.chunks), {
        contentType: this.options.contentType,
        embargoed: this.options.embargoed,
      });
      return;
    }
    if (this.buffered > 0) await this.startPart();
    await this.uploading;
    const xml =
      "<CompleteMultipartUpload>" +
      this.parts.map((p) => `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>"${p.etag}"</ETag></Part>`).join("") +
      "</CompleteMultipartUpload>";
    if (this.storage.backend === "s3") {
      await this.s3Client().send(
        new CompleteMultipartUploadCommand({
          Bucket: this.options.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.etag}"` })) },
        }),
      );
    } else {
      await (this.storage as unknown as LocalMultipart).completeMultipartUpload(this.uploadId, xml);
    }
  }

  /** Gives up on the object: the multipart upload, if one was started, is aborted (best effort). */
  async abort(): Promise<void> {
    await this.uploading?.catch(() => undefined);
    if (this.uploadId !== null) await this.storage.abortMultipartUpload(this.key, this.uploadId).catch(() => undefined);
  }

  /** Waits for the previous part, then starts uploading the buffered bytes as the next one. */
  private async startPart(): Promise<void> {
    await this.uploading;
    const body = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    this.uploadId ??= await this.storage.createMultipartUpload(this.key, { embargoed: this.options.embargoed });
    const partNumber = this.parts.length + 1;
    this.uploading = this.uploadPart(this.uploadId, partNumber, body);
    this.uploading.catch(() => undefined);
  }

  private async uploadPart(uploadId: string, partNumber: number, body: Buffer): Promise<void> {
    let etag: string;
    if (this.storage.backend === "s3") {
      const out = await this.s3Client().send(
        new UploadPartCommand({
          Bucket: this.options.bucket,
          Key: this.key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      etag = (out.ETag ?? "").replace(/"/g, "");
    } else {
      etag = await (this.storage as unknown as LocalMultipart).uploadPart(
        uploadId,
        partNumber,
        Readable.from([body]),
        body.length,
      );
    }
    this.parts.push({ partNumber, etag });
  }

  private s3Client(): S3Client {
    return (this.storage as unknown as { client: S3Client }).client;
  }
}
