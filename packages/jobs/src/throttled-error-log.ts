/**
 * An error listener for a connection that reconnects by itself: reports the first error of an
 * outage and then at most one per `everyMs` (a Redis that is down fails every reconnect
 * attempt, every second or two), so logs say that a dependency is away without flooding.
 */
export function throttledErrorLog(log: (err: Error) => void, everyMs = 30_000): (err: Error) => void {
  let last = 0;
  return (err) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    log(err);
  };
}
