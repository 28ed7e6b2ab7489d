import { autoUnembargoExpired, unembargoDandiset } from "@dandi/core";
import type { THandler } from "./handler";

/** The actor recorded in audit records for unembargoes the archive itself runs. */
const SYSTEM_ACTOR = { username: "dandi-archive", email: "", firstName: "DANDI", lastName: "Archive" };

/**
 * Finishes an unembargo (tags, blobs, assets, access, audit, e-mails). Skipped when
 * the dandiset is no longer UNEMBARGOING or still has uploads; a failure rethrows so
 * BullMQ retries it with backoff.
 */
export const handleUnembargoDandiset: THandler<"unembargoDandiset"> = async ({ dandisetId }, deps) => {
  const owner = await deps.prisma.dandisetOwner.findFirst({
    where: { dandisetId },
    orderBy: { created: "asc" },
    include: { user: true },
  });
  const done = await unembargoDandiset({
    prisma: deps.prisma,
    storage: deps.storage,
    mailer: deps.mailer,
    logger: deps.logger,
    webAppUrl: deps.config.DANDI_WEB_APP_URL,
    dandisetId,
    user: owner?.user ?? SYSTEM_ACTOR,
  });
  return done ? { status: "success" } : { status: "skipped", detail: "not UNEMBARGOING, or uploads pending" };
};

/** Daily: dandisets whose embargo ended (and stuck unembargoes) get one unembargo job each. */
export const handleSweepEmbargoes: THandler<"sweepEmbargoes"> = async (_payload, deps) => {
  const ids = await autoUnembargoExpired({
    prisma: deps.prisma,
    unembargo: (dandisetId) => deps.jobs.enqueue("unembargoDandiset", { dandisetId }),
  });
  return { status: "success", detail: { queued: ids } };
};
