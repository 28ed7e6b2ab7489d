import { Router } from "express";
import {
  ApiError,
  QUESTIONNAIRE,
  ZQuestionnaireAnswersSchema,
  canSubmitQuestionnaire,
  sendQuestionnaireEmails,
  submitQuestionnaire,
} from "@dandi/core";
import { z } from "zod";
import { json, jsonBody, OPTIONAL_AUTH, registry } from "../../openapi";
import { ZUserSchema } from "../users/users.schemas";
import { parseOrThrow } from "../../lib/validate";
import { presentQuestionnaire } from "./questionnaire.presenter";
import { presentSignedInUser } from "../auth/auth.presenter";

registry.registerPath({
  method: "get",
  path: "/api/users/questionnaire/",
  summary: "The sign-up questionnaire (and the caller's saved answers)",
  responses: {
    200: json(
      "{questions, answers, status}",
      z.object({
        questions: z.array(z.record(z.string(), z.unknown())),
        answers: z.record(z.string(), z.unknown()).nullable(),
        status: z.string().nullable(),
      }),
    ),
  },
});
registry.registerPath({
  method: "post",
  path: "/api/users/questionnaire/",
  summary: "Submits the questionnaire; the first submission decides approval",
  security: OPTIONAL_AUTH,
  request: { body: jsonBody(ZQuestionnaireAnswersSchema) },
  responses: {
    200: json("The user", ZUserSchema),
    400: { description: "Invalid answers" },
    401: { description: "Anonymous" },
  },
});

/** DANDI's first-sign-in questionnaire as a JSON API for the SPA. */
export function questionnaireRouter(): Router {
  const router = Router();

  router.get("/users/questionnaire/", (req, res) => {
    res.json(presentQuestionnaire(QUESTIONNAIRE, req.user));
  });

  router.post("/users/questionnaire/", async (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    if (!canSubmitQuestionnaire(req.user)) throw ApiError.forbidden();
    const answers = parseOrThrow(ZQuestionnaireAnswersSchema, req.body);
    const { config, prisma, mailer } = req.deps;
    const { user, outcome } = await submitQuestionnaire({
      db: prisma,
      user: req.user,
      answers,
      autoApproveDomains: config.DANDI_AUTO_APPROVE_DOMAINS,
    });
    // After the write: e-mails never delay or fail the response (failures are logged).
    void sendQuestionnaireEmails({ mailer, webAppUrl: config.DANDI_WEB_APP_URL, user, outcome });
    res.json(presentSignedInUser(user));
  });

  return router;
}
