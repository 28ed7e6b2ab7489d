import type { TQuestion } from "@dandi/core";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/**
 * DANDI's server-rendered questionnaire page (for browsers that arrive without
 * the SPA). Every value is HTML-escaped; the form posts back to the same URL.
 */
export function renderQuestionnaireForm(options: {
  questions: readonly TQuestion[];
  values: Record<string, string>;
  errors: Record<string, string[]>;
  action: string;
}): string {
  const fields = options.questions
    .map((q) => {
      const value = escapeHtml(options.values[q.key] ?? "");
      const input =
        q.max_length > 100
          ? `<textarea id="${q.key}" name="${q.key}" maxlength="${q.max_length}" rows="3">${value}</textarea>`
          : `<input id="${q.key}" name="${q.key}" maxlength="${q.max_length}" value="${value}"${q.required ? " required" : ""}>`;
      const errors = (options.errors[q.key] ?? []).map((e) => `<p class="error">${escapeHtml(e)}</p>`).join("");
      return `<p><label for="${q.key}">${escapeHtml(q.question)}</label><br>${input}</p>${errors}`;
    })
    .join("\n");
  return `<!doctype html><html><head><meta charset="utf-8"><title>DANDI: tell us about yourself</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}input,textarea{width:100%}.error{color:#b00}</style></head>
<body><h1>Welcome to DANDI</h1><p>Please tell us a little about yourself and your research.</p>
<form method="post" action="${escapeHtml(options.action)}">
${fields}
<button type="submit">Submit</button></form></body></html>`;
}
