import { z } from "zod";

/** One question of DANDI's sign-up questionnaire, as the SPA renders it. */
export interface TQuestion {
  key: "first_name" | "last_name" | "affiliations" | "website" | "usage" | "heard_about";
  question: string;
  max_length: number;
  required: boolean;
}

/** DANDI's questions (first sign-in) with their maximum lengths, in display order. */
export const QUESTIONNAIRE: readonly TQuestion[] = [
  { key: "first_name", question: "First Name", max_length: 100, required: true },
  { key: "last_name", question: "Last Name", max_length: 100, required: true },
  { key: "affiliations", question: "Affiliation(s)", max_length: 1000, required: false },
  { key: "website", question: "Lab/project website", max_length: 1000, required: false },
  {
    key: "usage",
    question: "Please describe how your research project will utilize DANDI resources.",
    max_length: 1000,
    required: false,
  },
  { key: "heard_about", question: "How did you hear about DANDI?", max_length: 1000, required: false },
];

function answer(key: TQuestion["key"]) {
  const q = QUESTIONNAIRE.find((x) => x.key === key)!;
  const base = z.string().trim().max(q.max_length, `Ensure this field has no more than ${q.max_length} characters.`);
  return q.required ? base.min(1, "This field may not be blank.") : base.default("");
}

/** The questionnaire answers, keyed by question key. */
export const ZQuestionnaireAnswersSchema = z.object({
  first_name: answer("first_name"),
  last_name: answer("last_name"),
  affiliations: answer("affiliations"),
  website: answer("website"),
  usage: answer("usage"),
  heard_about: answer("heard_about"),
});
export type TQuestionnaireAnswers = z.output<typeof ZQuestionnaireAnswersSchema>;
