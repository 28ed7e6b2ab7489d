import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Readable } from "node:stream";
import type { TConfig } from "../config";
import { formatContentDisposition } from "./content-disposition";
import type {
  ListedMultipartUpload,
  ListObjectsOptions,
  ListObjectsPage,
  PresignGetOptions,
  Storage,
  StoredObjectInfo,
} from "./storage";

const EMBARGO_TAG = "embargoed=true";
/** DeleteObjects takes at most this many keys per request. */
const DELETE_BATCH = 1000;

/** AWS S3 or an S3-compatible endpoint (MinIO, moto_server). */
export class S3Storage implements Storage {
  readonly backend = "s3" as const;
  readonly client: S3Client;
  private readonly bucket: string;

  constructor(private readonly config: TConfig) {
    this.bucket = config.S3_BUCKET!;
    this.client = new S3Client({
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT_URL,
      forcePathStyle: !!config.S3_ENDPOINT_URL,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials:
        config.AWS_ACCESS_KEY_ID && config.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: config.AWS_ACCESS_KEY_ID, secretAccessKey: config.AWS_SECRET_ACCESS_KEY }
          : undefined,
    });
  }

  async createMultipartUpload(key: string, { embargoed }: { embargoed: boolean }): Promise<string> {
    const out = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: "application/octet-stream",
        Tagging: embargoed ? EMBARGO_TAG : undefined,
      }),
    );
    return out.UploadId!;
  }

  presignUploadPart(key: string, uploadId: string, partNumber: number, contentLength: number): Promise<string> {
    const cmd = new UploadPartCommand({
      Bucket: this.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: contentLength,
    });
    return getSignedUrl(this.client, cmd, {
      expiresIn: this.config.UPLOAD_URL_EXPIRY,
      signableHeaders: new Set(["content-length"]),
    });
  }

  presignCompleteMultipartUpload(key: string, uploadId: string): Promise<string> {
    const cmd = new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId });
    return getSignedUrl(this.client, cmd, { expiresIn: this.config.UPLOAD_URL_EXPIRY });
  }

  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
  }

  async listMultipartUploads(prefix: string): Promise<ListedMultipartUpload[]> {
    const found: ListedMultipartUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const u of out.Uploads ?? []) {
        if (u.Key && u.UploadId)
          found.push({ key: u.Key, uploadId: u.UploadId, initiated: u.Initiated ?? new Date(0) });
      }
      if (!out.IsTruncated || (!out.NextKeyMarker && !out.NextUploadIdMarker)) break;
      keyMarker = out.NextKeyMarker;
      uploadIdMarker = out.NextUploadIdMarker;
    }
    return found.sort((a, b) => a.initiated.getTime() - b.initiated.getTime());
  }

  async headObject(key: string): Promise<StoredObjectInfo | null> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: Number(out.ContentLength ?? 0), etag: (out.ETag ?? "").replace(/"/g, "") };
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      throw err;
    }
  }

  presignGet(key: string, options: PresignGetOptions = {}): Promise<string> {
    const disposition = options.filename ? formatContentDisposition(options.filename, options.disposition) : undefined;
    const cmd = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: disposition,
      ResponseContentType: options.contentType,
    });
    return getSignedUrl(this.client, cmd, { expiresIn: options.expiresIn ?? this.config.DOWNLOAD_URL_EXPIRY });
  }

  objectUrl(key: string): string {
    const encoded = key.split("/").map(encodeURIComponent).join("/");
    if (this.config.S3_ENDPOINT_URL)
      return `${this.config.S3_ENDPOINT_URL.replace(/\/$/, "")}/${this.bucket}/${encoded}`;
    return `https://${this.bucket}.s3.amazonaws.com/${encoded}`;
  }

  async getObjectStream(key: string, range?: { start: number; end?: number }): Promise<Readable> {
    const out = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end ?? ""}` : undefined,
      }),
    );
    return out.Body as Readable;
  }

  async putObject(
    key: string,
    body: Buffer | string,
    options: { contentType?: string; embargoed?: boolean } = {},
  ): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        Tagging: options.embargoed ? EMBARGO_TAG : undefined,
      }),
    );
  }

  async deleteObject(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async setEmbargoedTag(key: string, embargoed: boolean): Promise<void> {
    if (embargoed) {
      await this.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.bucket,
          Key: key,
          Tagging: { TagSet: [{ Key: "embargoed", Value: "true" }] },
        }),
      );
    } else {
      await this.client.send(new DeleteObjectTaggingCommand({ Bucket: this.bucket, Key: key }));
    }
  }

  /** Signs Content-MD5 and (embargoed) x-amz-tagging as headers, as boto does for DANDI. */
  presignPutObject(
    key: string,
    { contentMd5, embargoed }: { contentMd5: string; embargoed: boolean },
  ): Promise<string> {
    const cmd = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentMD5: contentMd5,
      Tagging: embargoed ? EMBARGO_TAG : undefined,
    });
    return getSignedUrl(this.client, cmd, {
      expiresIn: this.config.DOWNLOAD_URL_EXPIRY,
      signableHeaders: new Set(["content-md5"]),
      unhoistableHeaders: new Set(["x-amz-tagging"]),
    });
  }

  presignHead(key: string, options: { expiresIn?: number } = {}): Promise<string> {
    const cmd = new HeadObjectCommand({ Bucket: this.bucket, Key: key });
    return getSignedUrl(this.client, cmd, { expiresIn: options.expiresIn ?? this.config.DOWNLOAD_URL_EXPIRY });
  }

  async listObjects(prefix: string, options: ListObjectsOptions = {}): Promise<ListObjectsPage> {
    const out = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        StartAfter: options.startAfter || undefined,
        MaxKeys: options.maxKeys ?? 1000,
      }),
    );
    return {
      objects: (out.Contents ?? []).map((o) => ({
        key: o.Key!,
        lastModified: o.LastModified ?? new Date(0),
        etag: (o.ETag ?? "").replace(/"/g, ""),
        size: Number(o.Size ?? 0),
      })),
      isTruncated: !!out.IsTruncated,
    };
  }

  async deleteObjects(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = out.Errors?.[0];
      if (failed) throw new Error(`S3 DeleteObjects failed for ${failed.Key}: ${failed.Code} ${failed.Message}`);
    }
  }
}
