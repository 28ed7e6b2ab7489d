import { microsecondsOf } from "../sql/timestamps";

/**
 * Python's datetime.isoformat() for an aware UTC datetime, as DANDI stores
 * timestamps inside metadata: microseconds only when non-zero, "+00:00" offset.
 * Exact to the microsecond for a PreciseTimestamp.
 */
export function formatPythonIsoformat(date: Date): string {
  const base = date.toISOString().slice(0, 19);
  const micros = microsecondsOf(date);
  return micros === 0 ? `${base}+00:00` : `${base}.${String(micros).padStart(6, "0")}+00:00`;
}
