import { Redis, type RedisOptions } from "ioredis";

/**
 * ioredis options for a redis:// or rediss:// URL. Heroku Redis serves TLS with a
 * self-signed certificate, so certificate verification is off for rediss://.
 * BullMQ needs maxRetriesPerRequest = null for its blocking connections.
 */
export function redisOptionsFromUrl(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 6379,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: url.protocol === "rediss:" ? { rejectUnauthorized: false } : undefined,
    maxRetriesPerRequest: null,
  };
}

/** A new ioredis connection for BullMQ (`overrides`: e.g. the fail-fast settings of a queue client). */
export function createRedisConnection(redisUrl: string, overrides: RedisOptions = {}): Redis {
  return new Redis({ ...redisOptionsFromUrl(redisUrl), ...overrides });
}

/**
 * For a connection that only queues jobs (never blocks): commands fail at once while Redis is
 * unreachable (no offline queue, one retry), instead of waiting for the reconnect; reconnects
 * keep being tried every second or two.
 */
export const QUEUE_CLIENT_REDIS_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => Math.min(200 * times, 2_000),
};
