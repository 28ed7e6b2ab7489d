import express, { Router, type Request } from "express";
import {
  ApiError,
  QUESTIONNAIRE,
  ZQuestionnaireAnswersSchema,
  canSubmitQuestionnaire,
  sendQuestionnaireEmails,
  submitQuestionnaire,
} from "@dandi/core";
import { z } from "zod";
import { OPTIONAL_AUTH, ZApiErrorSchema, registry } from "../../openapi";
import { safeNextUrl } from "../auth/safe-next";
import { presentQuestionnaire } from "./questionnaire.presenter";
import { renderQuestionnaireForm } from "./questionnaire-form.presenter";

registry.registerPath({
  method: "get",
  path: "/api/users/questionnaire-form/",
  summary: "The questionnaire as an HTML page (signed-in browsers)",
  responses: {
    200: { description: "HTML form", content: { "text/html": { schema: z.string() } } },
    302: { description: "To sign-in" },
  },
});
registry.registerPath({
  method: "post",
  path: "/api/users/questionnaire-form/",
  summary: "Form-encoded questionnaire answers (keyed by question key or text)",
  security: OPTIONAL_AUTH,
  request: {
    body: {
      content: { "application/x-www-form-urlencoded": { schema: z.record(z.string(), z.string()) } },
    },
  },
  responses: {
    302: { description: "To `next` or the web app" },
    400: {
      description:
        "The form again, with errors; input refused before the form is read (NUL characters, a malformed body) is DRF's JSON error",
      content: { "text/html": { schema: z.string() }, "application/json": { schema: ZApiErrorSchema } },
    },
  },
});

/** The signed-in user, or a 401 (or the GitHub sign-in, for a browser) when anonymous. */
function requireSignedIn(req: Request, res: express.Response): boolean {
  if (req.user) {
    if (!canSubmitQuestionnaire(req.user)) throw ApiError.forbidden();
    return true;
  }
  if (req.method === "GET" && req.deps.config.GITHUB_CLIENT_ID) {
    res.redirect(302, `/api/auth/github/login/?next=${encodeURIComponent(req.originalUrl)}`);
    return false;
  }
  throw ApiError.unauthenticated();
}

/** Answers posted by DANDI's form use the question text as the field name; ours use the key. */
function readFormAnswers(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(QUESTIONNAIRE.map((q) => [q.key, body[q.key] ?? body[q.question]]));
}

/** DANDI's `/api/users/questionnaire-form/` page, kept for browsers outside the SPA. */
export function questionnaireFormRouter(): Router {
  const router = Router();
  const path = "/users/questionnaire-form/";

  router.get(path, (req, res) => {
    if (!requireSignedIn(req, res)) return;
    const { answers } = presentQuestionnaire(QUESTIONNAIRE, req.user);
    res.type("html").send(
      renderQuestionnaireForm({
        questions: QUESTIONNAIRE,
        values: (answers ?? {}) as Record<string, string>,
        errors: {},
        action: req.originalUrl,
      }),
    );
  });

  router.post(path, express.urlencoded({ extended: false, limit: "64kb" }), async (req, res) => {
    if (!requireSignedIn(req, res)) return;
    const input = readFormAnswers((req.body ?? {}) as Record<string, unknown>);
    const parsed = ZQuestionnaireAnswersSchema.safeParse(input);
    if (!parsed.success) {
      const errors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (errors[String(issue.path[0])] ??= []).push(issue.message);
      const values = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
      res
        .status(400)
        .type("html")
        .send(renderQuestionnaireForm({ questions: QUESTIONNAIRE, values, errors, action: req.originalUrl }));
      return;
    }
    const { config, prisma, mailer } = req.deps;
    const { user, outcome } = await submitQuestionnaire({
      db: prisma,
      user: req.user!,
      answers: parsed.data,
      autoApproveDomains: config.DANDI_AUTO_APPROVE_DOMAINS,
    });
    void sendQuestionnaireEmails({ mailer, webAppUrl: config.DANDI_WEB_APP_URL, user, outcome });
    res.redirect(302, safeNextUrl(req.query.next, config.DANDI_WEB_APP_URL));
  });

  return router;
}
