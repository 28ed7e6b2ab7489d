import { microsecondsOf } from "@dandi/core";

/** ISO-8601 seconds of `date` in UTC, then its fraction as Python prints it: six digits, or nothing when zero. */
function isoSeconds(date: Date): string {
  const micros = microsecondsOf(date);
  const base = date.toISOString().slice(0, 19);
  return micros === 0 ? base : `${base}.${String(micros).padStart(6, "0")}`;
}

/**
 * DRF's DateTimeField rendering (dandi-api.md): Python's isoformat() of the UTC
 * datetime with "+00:00" written as "Z", so "2026-12-01T20:04:41.698531Z", and
 * "2026-12-01T20:04:41Z" for a whole second. Exact to the microsecond for a
 * PreciseTimestamp; a plain Date has milliseconds only.
 */
export function formatTimestamp(date: Date): string {
  return `${isoSeconds(date)}Z`;
}

/** Python's isoformat() for UTC timestamps stored inside metadata JSON. */
export function formatIsoOffset(date: Date): string {
  return `${isoSeconds(date)}+00:00`;
}
