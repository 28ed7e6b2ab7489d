import { createHash, randomBytes } from "node:crypto";
import type { Db, User } from "@dandi/db";

/** SHA-256 of an API key: the only form in which keys are stored. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** A new API key: 40 hex characters, like DRF's tokens. */
export function generateApiKey(): string {
  return randomBytes(20).toString("hex");
}

/** Finds the user that owns this key, or null. */
export async function findUserByApiKey(db: Db, key: string): Promise<User | null> {
  if (!/^[0-9a-f]{40}$/i.test(key)) return null;
  const token = await db.apiToken.findUnique({
    where: { keyHash: hashApiKey(key.toLowerCase()) },
    include: { user: true },
  });
  return token?.user ?? null;
}

/**
 * Replaces the user's API key with a new one (one key per user, as DANDI) and
 * returns the plain key: the only moment it exists outside the caller's hands.
 */
export async function regenerateApiKey(db: Db, userId: number): Promise<string> {
  const key = generateApiKey();
  const data = { keyHash: hashApiKey(key), keyPrefix: key.slice(0, 4), created: new Date() };
  await db.apiToken.upsert({ where: { userId }, create: { userId, ...data }, update: data });
  return key;
}
