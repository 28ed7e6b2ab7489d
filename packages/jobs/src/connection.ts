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

/** A new ioredis connection for BullMQ. */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisOptionsFromUrl(redisUrl));
}
