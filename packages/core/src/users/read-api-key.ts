import type { Db, User } from "@dandi/db";
import { ApiError } from "../errors";

export interface ReadApiKeyOptions {
  user: Pick<User, "id">;
  /** The key the request authenticated with, when it used `Authorization: token`. */
  presentedKey?: string;
}

export const HASHED_KEY_MESSAGE =
  "The API key is stored hashed and can only be shown when it is created; POST to regenerate it.";

/**
 * The user's API key as DANDI's `GET /api/auth/token/` returns it. Keys are
 * stored hashed, so the plain key is known only when the caller presented it
 * (the dandi CLI validates its key this way); otherwise a 404 tells the web app
 * to POST for a new one.
 */
export async function readApiKey(db: Db, { user, presentedKey }: ReadApiKeyOptions): Promise<string> {
  // The authenticate middleware resolved the presented key to this user, and a
  // user has one key: so it is the current key.
  if (presentedKey) return presentedKey;
  const token = await db.apiToken.findUnique({ where: { userId: user.id }, select: { id: true } });
  if (!token) throw ApiError.notFound();
  throw ApiError.notFound(HASHED_KEY_MESSAGE);
}
