import type { User } from "@dandi/db";
import type { TMailMessage } from "./mailer";

/**
 * The archive's e-mails (DANDI's dandiapi/api/mail.py subjects and recipients).
 * Each builder returns a message; the caller sends it after its write commits.
 */

type TMailUser = Pick<User, "username" | "email" | "firstName" | "lastName">;

export interface TMailContext {
  adminEmail: string;
  webAppUrl: string;
}

export function greeting(user: TMailUser): string {
  const name = `${user.firstName} ${user.lastName}`.trim();
  return `Dear ${name || user.username},`;
}

/** "DANDI: New user registered": to the user, copied to the admins. */
export function buildRegisteredMessage(user: TMailUser, ctx: TMailContext): TMailMessage {
  return {
    to: [user.email],
    cc: [ctx.adminEmail],
    subject: `DANDI: New user registered: ${user.email}`,
    text:
      `${greeting(user)}\n\nThank you for registering with the DANDI Archive. Your account (${user.username}) ` +
      `is pending approval. Please allow up to 2 business days for review; you will receive an e-mail ` +
      `when it is approved.\n\nThe DANDI team\n${ctx.webAppUrl}\n`,
  };
}

/** "DANDI: Review new user": to the admins, with the questionnaire answers. */
export function buildReviewMessage(user: TMailUser & Pick<User, "questionnaire">, ctx: TMailContext): TMailMessage {
  const answers = Object.entries((user.questionnaire ?? {}) as Record<string, unknown>)
    .map(([question, answer]) => `${question}: ${String(answer)}`)
    .join("\n");
  return {
    to: [ctx.adminEmail],
    subject: `DANDI: Review new user: ${user.username}`,
    text: `A new user needs review.\n\nUsername: ${user.username}\nE-mail: ${user.email}\n\n${answers}\n`,
  };
}

/** "Your DANDI Account" (approved): to the user, copied to the admins. */
export function buildApprovedMessage(user: TMailUser, ctx: TMailContext): TMailMessage {
  return {
    to: [user.email],
    cc: [ctx.adminEmail],
    subject: "Your DANDI Account",
    text:
      `${greeting(user)}\n\nYour DANDI account (${user.username}) has been approved. You can now create ` +
      `dandisets, upload data and get an API key at ${ctx.webAppUrl}.\n\nThe DANDI team\n`,
  };
}

/** "Your DANDI Account" (rejected, with the reason): to the user, copied to the admins. */
export function buildRejectedMessage(user: TMailUser, reason: string, ctx: TMailContext): TMailMessage {
  return {
    to: [user.email],
    cc: [ctx.adminEmail],
    subject: "Your DANDI Account",
    text:
      `${greeting(user)}\n\nYour DANDI account (${user.username}) was not approved.\n\nReason: ${reason}\n\n` +
      `If you think this is a mistake, reply to this e-mail.\n\nThe DANDI team\n`,
  };
}

/** The daily digest of users awaiting review, to the admins. */
export function buildPendingUsersMessage(users: TMailUser[], ctx: TMailContext): TMailMessage {
  const lines = users.map((u) => `- ${u.username} <${u.email}>`).join("\n");
  return {
    to: [ctx.adminEmail],
    subject: "DANDI: new user registrations to review",
    text: `${users.length} user(s) are waiting for review:\n\n${lines}\n`,
  };
}

/** "Added to Dandiset" / "Removed from Dandiset", to the affected user. */
export function buildOwnershipMessage(
  user: TMailUser,
  change: "added" | "removed",
  dandiset: { identifier: string; name: string },
  ctx: TMailContext,
): TMailMessage {
  const url = `${ctx.webAppUrl}/dandiset/${dandiset.identifier}`;
  const subject =
    change === "added" ? `Added to Dandiset "${dandiset.name}"` : `Removed from Dandiset "${dandiset.name}"`;
  const what = change === "added" ? "added as an owner of" : "removed as an owner of";
  return {
    to: [user.email],
    subject,
    text: `${greeting(user)}\n\nYou have been ${what} Dandiset ${dandiset.identifier} "${dandiset.name}": ${url}\n`,
  };
}

/** Unembargo finished or failed, to the dandiset's owners. */
export function buildUnembargoMessage(
  owners: TMailUser[],
  outcome: "done" | "failed",
  dandiset: { identifier: string },
  ctx: TMailContext,
): TMailMessage {
  const url = `${ctx.webAppUrl}/dandiset/${dandiset.identifier}`;
  if (outcome === "done") {
    return {
      to: owners.map((o) => o.email),
      subject: "Your Dandiset has been unembargoed!",
      text: `Dandiset ${dandiset.identifier} is now public: ${url}\n`,
    };
  }
  return {
    to: owners.map((o) => o.email),
    bcc: [ctx.adminEmail],
    subject: `DANDI: Unembargo failed for dandiset ${dandiset.identifier}`,
    text: `Unembargoing Dandiset ${dandiset.identifier} failed. The DANDI team has been notified.\n${url}\n`,
  };
}
