import { describe, expect, it } from "vitest";
import { REDACTED, redactDeep, redactText, scrubSentryEvent } from "./redact";

describe("redactText", () => {
  it("removes S3 presigned and local-storage signatures but keeps the rest of the URL", () => {
    const s3 =
      "https://bucket.s3.amazonaws.com/blobs/abc?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&X-Amz-Date=20261201T000000Z&X-Amz-Expires=21600&X-Amz-Signature=deadbeefcafe&X-Amz-SignedHeaders=host&response-content-disposition=attachment";
    expect(redactText(s3)).toBe(
      `https://bucket.s3.amazonaws.com/blobs/abc?X-Amz-Algorithm=${REDACTED}&X-Amz-Credential=${REDACTED}&X-Amz-Date=${REDACTED}&X-Amz-Expires=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-SignedHeaders=${REDACTED}&response-content-disposition=attachment`,
    );
    expect(redactText("/storage/objects/k?key=a&expires=1796&signature=0123abcd")).toBe(
      `/storage/objects/k?key=a&expires=${REDACTED}&signature=${REDACTED}`,
    );
  });

  it("removes tokens written as Authorization values, OAuth codes and URL passwords", () => {
    expect(redactText("Authorization: token 0123456789abcdef0123")).toBe(`Authorization: token ${REDACTED}`);
    expect(redactText("GET /api/auth/github/callback/?code=abc123456&state=xyz987654")).toBe(
      `GET /api/auth/github/callback/?code=${REDACTED}&state=${REDACTED}`,
    );
    expect(redactText("redis://user:hunter2secret@host:6379")).toBe(`redis://user:${REDACTED}@host:6379`);
    expect(redactText("X-Amz-Signature=abc at the start")).toBe(`X-Amz-Signature=${REDACTED} at the start`);
  });

  it("removes review links' secret tokens from paths and from a ?review= parameter", () => {
    const token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde";
    expect(redactText(`GET /api/review/${token}/ answered 302`)).toBe(`GET /api/review/${REDACTED}/ answered 302`);
    expect(redactText(`https://api.example.org/api/review/${token}/`)).toBe(
      `https://api.example.org/api/review/${REDACTED}/`,
    );
    expect(redactText(`/dandiset/000001?review=${token}`)).toBe(`/dandiset/000001?review=${REDACTED}`);
    // The route template and the owners' list of links are left alone.
    expect(redactText("GET /api/review/:token/ and /api/dandisets/000001/review-links/")).toBe(
      "GET /api/review/:token/ and /api/dandisets/000001/review-links/",
    );
  });

  it("leaves ordinary text alone", () => {
    const text = "GET /api/dandisets/?page=2&page_size=100&search=mouse+brain answered 200";
    expect(redactText(text)).toBe(text);
  });
});

describe("redactDeep and scrubSentryEvent", () => {
  it("scrubs a review link's token from a Sentry event's request URL and breadcrumbs", () => {
    const token = "ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210_-zyxwv";
    const event = scrubSentryEvent({
      request: { url: `https://api.example.org/api/review/${token}/`, query_string: [["review", token]] },
      breadcrumbs: [{ category: "xhr", data: { url: `/api/review/${token}/` } }],
    });
    expect(JSON.stringify(event)).not.toContain(token);
    expect(event.request.url).toBe(`https://api.example.org/api/review/${REDACTED}/`);
  });

  it("replaces secret-named fields at any depth and scrubs every string", () => {
    const out = redactDeep({
      headers: { Authorization: "token abc", cookie: "sessionid=xyz", accept: "*/*" },
      nested: [{ password: "p", url: "/x?signature=1234567890" }],
    });
    expect(out).toEqual({
      headers: { Authorization: REDACTED, cookie: REDACTED, accept: "*/*" },
      nested: [{ password: REDACTED, url: `/x?signature=${REDACTED}` }],
    });
  });

  it("scrubs a Sentry event's request, query string pairs and breadcrumbs", () => {
    const event = scrubSentryEvent({
      request: {
        url: "http://api/storage/objects/k?expires=1&signature=feedface00",
        headers: { "X-Csrf-Token": "1", Cookie: "sessionid=s" },
        cookies: { sessionid: "s" },
        query_string: [
          ["X-Amz-Signature", "abc"],
          ["page", "2"],
        ],
      },
      breadcrumbs: [{ category: "fetch", data: { url: "https://s3/x?X-Amz-Signature=beefbeef" } }],
    });
    expect(JSON.stringify(event)).not.toMatch(/feedface|beefbeef|"abc"|sessionid=s/);
    expect(event.request.query_string).toEqual([
      ["X-Amz-Signature", REDACTED],
      ["page", "2"],
    ]);
  });
});
