import type { Db } from "@dandi/db";

/** The longest username made here (GitHub's login limit, which the web app's layout expects). */
const MAX_LENGTH = 39;

/**
 * A username for a local (non-GitHub) account, made from its e-mail address
 * without ever being one: the local part, lowercased, with anything but
 * letters, digits, `.`, `_` and `-` turned into `-` ("Jane.Doe+lab@x.org" →
 * "jane.doe-lab"), and `-2`, `-3`, ... appended while another user holds it.
 * Usernames are public (owner lists, user search), e-mail addresses are not:
 * DANDI's Django users take the e-mail as username, which then reaches visitors.
 */
export async function makeUsername(db: Db, email: string): Promise<string> {
  const local = email.split("@")[0] ?? "";
  const base =
    local
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, MAX_LENGTH - 4) || "user";
  const taken = new Set(
    (
      await db.user.findMany({
        where: { username: { startsWith: base, mode: "insensitive" } },
        select: { username: true },
      })
    ).map((u) => u.username.toLowerCase()),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
