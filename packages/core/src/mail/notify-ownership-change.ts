import type { User } from "@dandi/db";
import type { Mailer } from "./mailer";
import { buildOwnershipMessage } from "./messages";

export interface NotifyOwnershipChangeOptions {
  mailer: Mailer;
  webAppUrl: string;
  dandiset: { identifier: string; name: string };
  added: Pick<User, "username" | "email" | "firstName" | "lastName">[];
  removed: Pick<User, "username" | "email" | "firstName" | "lastName">[];
}

/**
 * Sends DANDI's "Added to Dandiset" / "Removed from Dandiset" e-mails. Call it
 * from the owners PUT after the owner change has committed; it never rejects
 * (delivery failures are logged), so it may be awaited or fired and forgotten.
 *
 * @example void notifyOwnershipChange({ mailer: req.deps.mailer, webAppUrl, dandiset, added, removed })
 */
export async function notifyOwnershipChange(options: NotifyOwnershipChangeOptions): Promise<void> {
  const { mailer, webAppUrl, dandiset, added, removed } = options;
  const ctx = { adminEmail: mailer.adminEmail, webAppUrl };
  await Promise.all([
    ...added.map((u) => mailer.send(buildOwnershipMessage(u, "added", dandiset, ctx))),
    ...removed.map((u) => mailer.send(buildOwnershipMessage(u, "removed", dandiset, ctx))),
  ]);
}
