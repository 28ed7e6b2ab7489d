/**
 * Where to send the browser after sign-in: a path on the web app, or an
 * absolute URL on the web app's origin. Anything else (other hosts,
 * protocol-relative "//evil") falls back to the web app's root, so the sign-in
 * routes cannot be used as an open redirect.
 */
export function safeNextUrl(next: unknown, webAppUrl: string): string {
  if (typeof next !== "string" || next === "") return webAppUrl;
  if (next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")) return `${webAppUrl}${next}`;
  try {
    const url = new URL(next);
    if (url.origin === new URL(webAppUrl).origin) return url.toString();
  } catch {
    // Not a URL: fall through.
  }
  return webAppUrl;
}
