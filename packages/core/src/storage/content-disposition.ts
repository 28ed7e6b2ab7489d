/**
 * A Content-Disposition value for a download. Non-ASCII names get an ASCII
 * fallback plus RFC 6266 `filename*`, because HTTP header values must be Latin-1
 * and browsers prefer `filename*` when it is present.
 */
export function formatContentDisposition(
  filename: string,
  disposition: "attachment" | "inline" = "attachment",
): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  if (fallback === filename) return `${disposition}; filename="${filename}"`;
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
