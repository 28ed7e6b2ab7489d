import type { Db, User } from "@dandi/db";

/** What the GitHub strategy learned about the person signing in. */
export interface TGithubProfile {
  id: string;
  login: string;
  name: string | null;
  /** From GET /user/emails; only verified addresses are used. */
  emails: { value: string; primary?: boolean; verified?: boolean }[];
}

export interface SignInWithGithubOptions {
  db: Db;
  profile: TGithubProfile;
}

function pickEmail(profile: TGithubProfile): string {
  const verified = profile.emails.filter((e) => e.verified !== false);
  const chosen = verified.find((e) => e.primary) ?? verified[0];
  // GitHub's no-reply address keeps e-mail unique for people who hide theirs.
  return (chosen?.value ?? `${profile.id}+${profile.login}@users.noreply.github.com`).toLowerCase();
}

function splitName(name: string | null): { firstName: string; lastName: string } {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: "", lastName: "" };
  return { firstName: parts.slice(0, -1).join(" ") || parts[0]!, lastName: parts.length > 1 ? parts.at(-1)! : "" };
}

/**
 * Creates or updates the archive user for a GitHub account and returns it, with
 * `isNew` when it was created. A new user is INCOMPLETE until the questionnaire.
 * An existing account is matched by GitHub id, then by the verified e-mail
 * (linking a password account made by the management CLI).
 */
export async function signInWithGithub({
  db,
  profile,
}: SignInWithGithubOptions): Promise<{ user: User; isNew: boolean }> {
  const email = pickEmail(profile);
  const github = { githubId: profile.id, githubLogin: profile.login, githubName: profile.name, lastLogin: new Date() };
  const existing =
    (await db.user.findUnique({ where: { githubId: profile.id } })) ??
    (await db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" }, githubId: null } }));
  if (existing) {
    return { user: await db.user.update({ where: { id: existing.id }, data: github }), isNew: false };
  }
  // DANDI's username is the GitHub login; keep it unique if an e-mail account already holds it.
  const taken = await db.user.findUnique({ where: { username: profile.login } });
  const username = taken ? `${profile.login}-${profile.id}` : profile.login;
  const user = await db.user.create({
    data: { ...github, email, username, status: "INCOMPLETE", ...splitName(profile.name) },
  });
  return { user, isNew: true };
}
