/** DRF's timestamp rendering: ISO-8601 with microseconds and a Z suffix. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Python's isoformat() for UTC timestamps stored inside metadata JSON. */
export function formatIsoOffset(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}
