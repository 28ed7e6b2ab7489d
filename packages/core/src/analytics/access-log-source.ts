import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import type { TConfig } from "../config";

/** Where S3 server access logs are read from. */
export interface AccessLogSource {
  /** Log file keys under the configured prefix, in key (= time) order. */
  list(): AsyncIterable<string>;
  read(key: string): Promise<Readable>;
}

/**
 * The S3 bucket named by ANALYTICS_LOG_BUCKET (same endpoint and credentials as
 * the blob bucket), or null when analytics is not configured.
 */
export function createAccessLogSource(
  config: Pick<
    TConfig,
    | "ANALYTICS_LOG_BUCKET"
    | "ANALYTICS_LOG_PREFIX"
    | "S3_REGION"
    | "S3_ENDPOINT_URL"
    | "AWS_ACCESS_KEY_ID"
    | "AWS_SECRET_ACCESS_KEY"
  >,
): AccessLogSource | null {
  const bucket = config.ANALYTICS_LOG_BUCKET;
  if (!bucket) return null;
  const client = new S3Client({
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
  return {
    async *list() {
      let token: string | undefined;
      do {
        const out = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: config.ANALYTICS_LOG_PREFIX, ContinuationToken: token }),
        );
        for (const o of out.Contents ?? []) if (o.Key) yield o.Key;
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    },
    async read(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body as Readable;
    },
  };
}
