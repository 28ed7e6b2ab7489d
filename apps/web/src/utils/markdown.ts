import DOMPurify from "dompurify";
import { marked } from "marked";

// Links in a description open in a new tab without handing it the opener.
DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A" && node.hasAttribute("href")) {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

/**
 * A dandiset description (Markdown, as DANDI renders it) as sanitised HTML:
 * `marked` renders, DOMPurify removes scripts, event handlers, frames and
 * javascript: URLs.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false, gfm: true, breaks: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}
