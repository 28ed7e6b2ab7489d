/**
 * Python's datetime.isoformat() for an aware UTC datetime, as DANDI stores
 * timestamps inside metadata: microseconds only when non-zero, "+00:00" offset.
 */
export function formatPythonIsoformat(date: Date): string {
  const base = date.toISOString().slice(0, 19);
  const ms = date.getUTCMilliseconds();
  return ms === 0 ? `${base}+00:00` : `${base}.${String(ms).padStart(3, "0")}000+00:00`;
}
