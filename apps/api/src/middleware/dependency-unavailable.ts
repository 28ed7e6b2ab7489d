import { QueueUnavailableError } from "@dandi/jobs";

/** Seconds a client is told to wait (Retry-After) while PostgreSQL or Redis is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** Prisma codes of an unreachable or restarting database (not of a bad query). */
const PRISMA_UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** Driver-adapter error kinds of the same. */
const ADAPTER_UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** Socket errors (the pg driver's, or S3's: either way a dependency is away, not a bug). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"]);

/**
 * PostgreSQL SQLSTATEs of a server going away or not accepting connections: 57P01
 * admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down),
 * 53300 too_many_connections, and the connection_exception class 08.
 */
function isUnavailableSqlState(code: string): boolean {
  return /^(57P0[123]|53300|08...)$/.test(code);
}

interface TErrorLike {
  name?: string;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
  message?: string;
}

/**
 * Which dependency made this error, when it is one being unreachable rather than a bug:
 * "database" for Prisma/pg connection failures (PostgreSQL restarting, unreachable, out of
 * connections), "queue" for Redis under the job queues, "network" for a refused or reset socket. Looks through `cause` and Prisma's
 * `meta.driverAdapterError` chains. Null for anything else.
 */
export function unavailableDependency(err: unknown): "database" | "queue" | "network" | null {
  const seen = new Set<unknown>();
  const stack: unknown[] = [err];
  while (stack.length > 0) {
    const e = stack.pop() as TErrorLike | null | undefined;
    if (!e || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof QueueUnavailableError) return "queue";
    if (e.name === "PrismaClientInitializationError") return "database";
    const code = typeof e.code === "string" ? e.code : "";
    if (PRISMA_UNAVAILABLE_CODES.has(code) || isUnavailableSqlState(code)) return "database";
    if (SOCKET_CODES.has(code)) return "network";
    if (typeof e.kind === "string" && ADAPTER_UNAVAILABLE_KINDS.has(e.kind)) return "database";
    if (typeof e.originalCode === "string" && isUnavailableSqlState(e.originalCode)) return "database";
    stack.push(e.cause, e.meta?.driverAdapterError);
  }
  return null;
}

/** DRF's ServiceUnavailable detail, the body of the 503 for a dependency that is away. */
export const UNAVAILABLE_DETAIL = "Service temporarily unavailable, try again later.";
