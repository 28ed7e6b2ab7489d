import type { User } from "@dandi/db";
import type { TQuestion } from "@dandi/core";

/**
 * The questions, plus the caller's saved answers (keyed like the questions, so
 * the SPA can prefill the form) and status when signed in.
 */
export function presentQuestionnaire(questions: readonly TQuestion[], user: User | undefined) {
  const saved = (user?.questionnaire ?? {}) as Record<string, unknown>;
  const answers = user
    ? Object.fromEntries(
        questions.map((q) => {
          if (q.key === "first_name") return [q.key, user.firstName];
          if (q.key === "last_name") return [q.key, user.lastName];
          return [q.key, typeof saved[q.question] === "string" ? saved[q.question] : ""];
        }),
      )
    : null;
  return { questions, answers, status: user?.status ?? null };
}
