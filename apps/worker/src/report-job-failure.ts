import * as Sentry from "@sentry/node";
import type { Job } from "bullmq";
import { splitJobData, type TQueueName } from "@dandi/jobs";
import type { WorkerDeps } from "./deps";

type TIds = { dandisetId?: unknown; versionId?: unknown; assetId?: unknown; blobId?: unknown; zarrId?: unknown };

/** The dandiset a job's payload is about, by the id it carries; null when none (sweeps) or unknown. */
export async function findJobDandiset(deps: WorkerDeps, payload: unknown): Promise<number | null> {
  const p = (payload ?? {}) as TIds;
  const { prisma } = deps;
  const viaVersion = (row: { version: { dandisetId: number } } | null) => row?.version.dandisetId ?? null;
  if (typeof p.dandisetId === "number") return p.dandisetId;
  if (typeof p.versionId === "number") {
    return (
      (await prisma.version.findUnique({ where: { id: p.versionId }, select: { dandisetId: true } }))?.dandisetId ??
      null
    );
  }
  const select = { version: { select: { dandisetId: true } } };
  if (typeof p.assetId === "string") {
    return viaVersion(await prisma.versionAsset.findFirst({ where: { assetId: BigInt(p.assetId) }, select }));
  }
  if (typeof p.blobId === "string") {
    return viaVersion(await prisma.versionAsset.findFirst({ where: { asset: { blobId: BigInt(p.blobId) } }, select }));
  }
  if (typeof p.zarrId === "string") {
    return (
      (await prisma.zarrArchive.findUnique({ where: { zarrId: p.zarrId }, select: { dandisetId: true } }))
        ?.dandisetId ?? null
    );
  }
  return null;
}

/**
 * Logs a failed attempt of a job and sends it to Sentry, tagged with the queue, job name, id,
 * attempt, whether BullMQ will retry it, the dandiset it is about and the request that queued it.
 */
export async function reportJobFailure(deps: WorkerDeps, queue: TQueueName, job: Job | undefined, err: Error) {
  const { payload, requestId } = splitJobData(job?.data);
  const dandisetId = await findJobDandiset(deps, payload).catch(() => null);
  const attempt = job?.attemptsMade ?? 0;
  const final = !job || attempt >= (job.opts.attempts ?? 1) || err.name === "UnrecoverableError";
  const dandiset = dandisetId === null ? undefined : String(dandisetId).padStart(6, "0");
  deps.logger.warn(
    { queue, job: job?.name, job_id: job?.id, attempt, final, dandiset, req_id: requestId, err: err.message },
    "job failed",
  );
  Sentry.captureException(err, {
    level: final ? "error" : "warning",
    tags: {
      queue,
      job_name: job?.name,
      job_id: job?.id,
      attempt,
      final,
      dandiset: dandiset ?? "none",
      ...(requestId && { request_id: requestId }),
    },
  });
}
