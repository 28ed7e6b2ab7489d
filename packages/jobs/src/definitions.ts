import { z } from "zod";
import type { JobsOptions } from "bullmq";

/**
 * The queues. `default` is served by the Procfile `worker`, `checksum` by
 * `checksum-worker`, `analytics` by `analytics-worker`.
 */
export const QUEUE_NAMES = ["default", "checksum", "analytics"] as const;
export type TQueueName = (typeof QUEUE_NAMES)[number];

const ZBlobPayload = z.object({ blobId: z.string().regex(/^\d+$/) });
const ZAssetPayload = z.object({ assetId: z.string().regex(/^\d+$/) });
const ZVersionPayload = z.object({ versionId: z.number().int().positive() });
const ZEmpty = z.object({}).strict();

const retry = (attempts: number, delayMs: number): JobsOptions => ({
  attempts,
  backoff: { type: "exponential", delay: delayMs },
});

interface JobDefinition<S extends z.ZodType> {
  queue: TQueueName;
  payload: S;
  /**
   * Fixed id: while a job with this id is waiting, active or delayed, another enqueue is
   * a no-op. A failed one (kept for the admins) is replaced by the next enqueue instead,
   * so that it does not block newer work for the retention time: DANDI's Celery tasks
   * have no such ids, and a later sweep or user action simply runs them again.
   */
  jobId?: (payload: z.infer<S>) => string;
  options: JobsOptions;
}

function define<S extends z.ZodType>(d: JobDefinition<S>): JobDefinition<S> {
  return d;
}

/** Every job: its queue, zod payload (ids only), dedupe id and retry policy. */
export const JOBS = {
  /** Streams a blob, verifies size and dandi-etag, stores its sha256, then queues asset validation. */
  computeBlobSha256: define({
    queue: "checksum",
    payload: ZBlobPayload,
    jobId: (p) => `sha256-${p.blobId}`,
    options: retry(4, 30_000),
  }),
  /**
   * DANDI's ingest_zarr_archive: lists a finalized (Uploaded) zarr's files, stores its
   * checksum, file count and size, sets it Complete. Queued by POST /api/zarr/{id}/finalize/
   * after commit, once per Pending -> Uploaded transition, so no fixed job id (a failed
   * job kept for the admins must not block the next finalize); the handler claims the
   * zarr by its status, so a duplicate run is a no-op.
   */
  ingestZarrArchive: define({
    queue: "checksum",
    payload: z.object({ zarrId: z.string().uuid() }),
    options: retry(4, 10_000),
  }),
  /** Validates one Pending asset's published metadata against PublishedAsset. */
  validateAsset: define({
    queue: "default",
    payload: ZAssetPayload,
    jobId: (p) => `validate-asset-${p.assetId}`,
    options: retry(3, 5_000),
  }),
  /** Validates one Pending draft version against PublishedDandiset. */
  validateVersion: define({
    queue: "default",
    payload: ZVersionPayload,
    jobId: (p) => `validate-version-${p.versionId}`,
    options: retry(3, 5_000),
  }),
  /**
   * Recomputes a draft's metadata.assetsSummary from its assets, queued after each asset change.
   * Delayed 2 s: the changes of an upload burst (queued while the job waits) share one run.
   * A run that kept losing to concurrent writes (a long upload) fails, and must not keep the
   * next change from being summarised: the next enqueue replaces it.
   */
  aggregateAssetsSummary: define({
    queue: "default",
    payload: ZVersionPayload,
    jobId: (p) => `assets-summary-${p.versionId}`,
    options: { ...retry(6, 1_000), delay: 2_000 },
  }),
  /** Turns a dandiset's draft (status Publishing) into a new published version. */
  publishDandiset: define({
    queue: "default",
    payload: z.object({ dandisetId: z.number().int().positive(), userId: z.number().int().positive() }),
    jobId: (p) => `publish-${p.dandisetId}`,
    options: retry(5, 10_000),
  }),
  /** Writes dandiset.yaml, assets.yaml and the JSON-LD manifests of a version. */
  writeManifests: define({
    queue: "default",
    payload: ZVersionPayload,
    jobId: (p) => `manifests-${p.versionId}`,
    options: retry(3, 10_000),
  }),
  /** Registers (or updates) the DataCite DOI of a published version. */
  registerDoi: define({
    queue: "default",
    payload: ZVersionPayload,
    jobId: (p) => `doi-${p.versionId}`,
    options: retry(6, 30_000),
  }),
  /**
   * Registers the dandiset's concept DOI at DataCite, or moves it to the newest published
   * version; queued after each version DOI. Retried with backoff while DataCite is down (the
   * dandiset shows the attempts and the last error); no fixed id, so that a publish during a
   * run queues a run that sees the newer version.
   */
  registerConceptDoi: define({
    queue: "default",
    payload: z.object({ dandisetId: z.number().int().positive() }),
    options: retry(6, 30_000),
  }),
  /** Inserts an ApplicationStats row. */
  computeStats: define({ queue: "default", payload: ZEmpty, jobId: () => "compute-stats", options: retry(3, 60_000) }),
  /**
   * Sweep: folds the dandisets whose search postings changed into the common tokens'
   * bitmaps (searches are exact without it; unfolded dandisets are answered by the postings).
   */
  foldSearchBitmaps: define({
    queue: "default",
    payload: ZEmpty,
    jobId: () => "fold-search-bitmaps",
    options: retry(2, 5_000),
  }),
  /** Sweep: queues validation of Pending drafts and assets, re-queues stuck Validating ones. */
  sweepValidation: define({ queue: "default", payload: ZEmpty, options: retry(1, 1_000) }),
  /** Sweep: aborts and deletes uploads older than UPLOAD_URL_EXPIRY. */
  sweepExpiredUploads: define({ queue: "default", payload: ZEmpty, options: retry(2, 60_000) }),
  /** Sweep: deletes blobs no asset references, after the grace period. */
  sweepOrphanedBlobs: define({ queue: "default", payload: ZEmpty, options: retry(2, 60_000) }),
  /** Sweep: lists the bucket's blobs/ (multipart uploads, objects) and removes what no row references. */
  reconcileStorage: define({
    queue: "default",
    payload: ZEmpty,
    jobId: () => "reconcile-storage",
    options: retry(2, 60_000),
  }),
  /** Finishes the unembargo of one dandiset already set to UNEMBARGOING (safe to run twice). */
  unembargoDandiset: define({
    queue: "default",
    payload: z.object({ dandisetId: z.number().int().positive() }),
    jobId: (p) => `unembargo-${p.dandisetId}`,
    options: retry(5, 60_000),
  }),
  /**
   * Sweep (every 15 s): queues the job outbox's rows (jobs committed with a state change that an
   * API process could not queue: Redis down, a crash) and re-queues drafts stuck Publishing.
   */
  drainJobOutbox: define({ queue: "default", payload: ZEmpty, options: retry(1, 1_000) }),
  /** Daily sweep: unembargoes dandisets whose embargo ended, resumes stuck unembargoes. */
  sweepEmbargoes: define({ queue: "default", payload: ZEmpty, options: retry(2, 60_000) }),
  /** Daily: e-mails the admins the list of users waiting for review (when there are any). */
  sendPendingUsersDigest: define({
    queue: "default",
    payload: ZEmpty,
    jobId: () => "pending-users-digest",
    options: retry(3, 60_000),
  }),
  /** Sweep: lists new S3 access-log files and queues one job per file. */
  sweepAccessLogs: define({ queue: "analytics", payload: ZEmpty, options: retry(2, 60_000) }),
  /** Counts the successful blob GETs of one S3 access-log file (idempotent per file). */
  processAccessLog: define({
    queue: "analytics",
    payload: z.object({ logKey: z.string().min(1) }),
    jobId: (p) => `access-log-${Buffer.from(p.logKey).toString("base64url")}`,
    options: retry(4, 30_000),
  }),
} as const;

export type TJobName = keyof typeof JOBS;
export type TJobPayload<N extends TJobName> = z.infer<(typeof JOBS)[N]["payload"]>;

/** Parses a job's payload with its definition's schema (handlers re-validate what they receive). */
export function parsePayload<N extends TJobName>(name: N, data: unknown): TJobPayload<N> {
  return JOBS[name].payload.parse(data) as TJobPayload<N>;
}

/** The job names that run on a queue. */
export function jobsOfQueue(queue: TQueueName): TJobName[] {
  return (Object.keys(JOBS) as TJobName[]).filter((n) => JOBS[n].queue === queue);
}
