import passportModule from "passport";
import { Strategy as GitHubStrategy, type Profile, type StrategyOptions } from "passport-github2";

type TPassport = InstanceType<typeof passportModule.Passport>;
import type { User as DbUser } from "@dandi/db";
import { signInWithGithub } from "@dandi/core";
import type { AppDeps } from "../../context";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // @types/passport declares Request.user as Express.User: make that our Prisma user.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends DbUser {}
  }
}

const instances = new WeakMap<AppDeps, TPassport>();

/** True when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are both set. */
export function isGithubConfigured(deps: AppDeps): boolean {
  return !!deps.config.GITHUB_CLIENT_ID && !!deps.config.GITHUB_CLIENT_SECRET;
}

/**
 * A Passport instance with the GitHub strategy for this app's config (one per
 * app, so tests with different fake GitHub servers never share one). The
 * strategy keeps the OAuth `state` in the browser session.
 */
export function githubPassport(deps: AppDeps): TPassport {
  let passport = instances.get(deps);
  if (passport) return passport;
  const { config } = deps;
  passport = new passportModule.Passport();
  passport.use(
    new GitHubStrategy(
      {
        clientID: config.GITHUB_CLIENT_ID!,
        clientSecret: config.GITHUB_CLIENT_SECRET!,
        callbackURL: `${config.DANDI_API_URL}/api/auth/github/callback/`,
        authorizationURL: config.GITHUB_AUTHORIZATION_URL,
        tokenURL: config.GITHUB_TOKEN_URL,
        userProfileURL: config.GITHUB_USER_PROFILE_URL,
        userEmailURL: config.GITHUB_USER_EMAILS_URL,
        scope: ["user:email"],
        allRawEmails: true,
        // passport-oauth2 keeps a random state in the session when `state` is true (typed as string upstream).
        state: true,
      } as unknown as StrategyOptions,
      (
        _accessToken: string,
        _refreshToken: string,
        profile: Profile,
        done: (err: unknown, user?: Express.User | false, info?: unknown) => void,
      ) => {
        const emails = (profile.emails ?? []) as { value: string; primary?: boolean; verified?: boolean }[];
        signInWithGithub({
          db: deps.prisma,
          profile: {
            id: String(profile.id),
            login: profile.username ?? String(profile.id),
            name: profile.displayName || null,
            emails,
          },
        }).then(
          // Passport carries one value to the route's callback: the user, with isNew beside it.
          (result) => done(null, Object.assign(result.user, { isNew: result.isNew })),
          (err: unknown) => done(err),
        );
      },
    ),
  );
  instances.set(deps, passport);
  return passport;
}
