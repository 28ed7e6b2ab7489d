// @vitest-environment jsdom
// DOMPurify needs a standards-complete DOM (happy-dom lets markup through); Chromium runs it in e2e/landing-depth.
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

describe("renderMarkdown", () => {
  it("renders Markdown and keeps links, opening them in a new tab", () => {
    const html = renderMarkdown("# Title\n\nSome **bold** text and [a link](https://example.org).\n\n- one\n- two");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain('<a href="https://example.org" target="_blank" rel="noopener noreferrer">a link</a>');
    expect(html).toContain("<li>one</li>");
  });

  it("removes scripts, event handlers and javascript: links", () => {
    const html = renderMarkdown(
      'Hi <script>alert(1)</script><img src="x" onerror="alert(2)"> [x](javascript:alert(3)) <iframe src="https://evil"></iframe>',
    );
    expect(html).not.toMatch(/<script|onerror|javascript:|<iframe/i);
    expect(html).toContain("<img");
  });
});
