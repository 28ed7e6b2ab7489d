import { createHash, randomBytes } from "node:crypto";

/** A review link's secret: 32 random bytes, base64url (43 characters). Shown once, never stored. */
export function generateReviewToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of a review token: the only form in which tokens are stored. */
export function hashReviewToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What a review token looks like; anything else is refused before the database is asked. */
export const REVIEW_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
