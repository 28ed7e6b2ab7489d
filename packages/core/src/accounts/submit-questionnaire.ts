import type { Db, User } from "@dandi/db";
import { isAutoApprovedEmail } from "./is-auto-approved-email";
import { QUESTIONNAIRE, type TQuestionnaireAnswers } from "./questionnaire";

export interface SubmitQuestionnaireOptions {
  db: Db;
  user: User;
  answers: TQuestionnaireAnswers;
  autoApproveDomains: readonly string[];
}

/** What the submission did to the account, so the caller sends DANDI's e-mails. */
export type TQuestionnaireOutcome = "approved" | "pending" | "unchanged";

/**
 * Saves the questionnaire (stored keyed by question text, as DANDI's
 * `questionnaire_form`) and the first/last name. On the first submission by an
 * INCOMPLETE non-superuser the account becomes APPROVED when the e-mail matches
 * an auto-approve domain, else PENDING. Later submissions only update answers.
 */
export async function submitQuestionnaire(
  options: SubmitQuestionnaireOptions,
): Promise<{ user: User; outcome: TQuestionnaireOutcome }> {
  const { db, user, answers, autoApproveDomains } = options;
  const form = Object.fromEntries(QUESTIONNAIRE.map((q) => [q.question, answers[q.key]]));
  let outcome: TQuestionnaireOutcome = "unchanged";
  if (user.status === "INCOMPLETE" && !user.isSuperuser) {
    outcome = isAutoApprovedEmail(user.email, autoApproveDomains) ? "approved" : "pending";
  }
  // The status condition makes a double submission race harmless: only one wins the transition.
  const where = outcome === "unchanged" ? { id: user.id } : { id: user.id, status: "INCOMPLETE" as const };
  const data = {
    questionnaire: form,
    firstName: answers.first_name,
    lastName: answers.last_name,
    ...(outcome === "approved" ? { status: "APPROVED" as const } : {}),
    ...(outcome === "pending" ? { status: "PENDING" as const } : {}),
  };
  const { count } = await db.user.updateMany({ where, data });
  if (count === 0) {
    // Someone else completed the transition first: save the answers only.
    outcome = "unchanged";
    await db.user.update({
      where: { id: user.id },
      data: { questionnaire: form, firstName: data.firstName, lastName: data.lastName },
    });
  }
  return { user: await db.user.findUniqueOrThrow({ where: { id: user.id } }), outcome };
}
