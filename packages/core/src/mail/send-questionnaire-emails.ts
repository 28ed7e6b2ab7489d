import type { User } from "@dandi/db";
import type { TQuestionnaireOutcome } from "../accounts/submit-questionnaire";
import type { Mailer } from "./mailer";
import { buildApprovedMessage, buildRegisteredMessage, buildReviewMessage } from "./messages";

export interface SendQuestionnaireEmailsOptions {
  mailer: Mailer;
  webAppUrl: string;
  user: User;
  outcome: TQuestionnaireOutcome;
}

/**
 * DANDI's e-mails after a first questionnaire submission: "approved" when
 * auto-approved; otherwise "registered" to the user plus "review" to the
 * admins. Nothing for later submissions. Call after the status change
 * committed; it never rejects.
 */
export async function sendQuestionnaireEmails({
  mailer,
  webAppUrl,
  user,
  outcome,
}: SendQuestionnaireEmailsOptions): Promise<void> {
  const ctx = { adminEmail: mailer.adminEmail, webAppUrl };
  if (outcome === "approved") await mailer.send(buildApprovedMessage(user, ctx));
  if (outcome === "pending") {
    await Promise.all([mailer.send(buildRegisteredMessage(user, ctx)), mailer.send(buildReviewMessage(user, ctx))]);
  }
}
