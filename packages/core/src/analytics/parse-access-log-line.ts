export interface AccessLogEntry {
  operation: string;
  key: string;
  httpStatus: number;
}

// bucket-owner bucket [time] remote-ip requester request-id operation key "request-uri" status ...
const LINE = /^\S+ \S+ \[[^\]]*\] \S+ \S+ \S+ (\S+) (\S+) "(?:[^"\\]|\\.)*" (\d{3}|-) /;

/** The fields of one S3 server access-log line that download counting needs, or null for a malformed line. */
export function parseAccessLogLine(line: string): AccessLogEntry | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const key = m[2] === "-" ? "" : decodeKey(m[2]!);
  return { operation: m[1]!, key, httpStatus: m[3] === "-" ? 0 : Number(m[3]) };
}

function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return raw;
  }
}
