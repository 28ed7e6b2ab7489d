import type { Logger } from "pino";
import type { PrismaClient, User } from "@dandi/db";
import type { JobsClient } from "@dandi/jobs";
import type { Actor, Mailer, SchemaCatalog, Storage, TConfig, TReadGrants } from "@dandi/core";
import type { SessionBackend } from "./middleware/session";

/** Everything a request handler may use, built once per process (or per test). */
export interface AppDeps {
  config: TConfig;
  prisma: PrismaClient;
  logger: Logger;
  schemas: SchemaCatalog;
  storage: Storage;
  /** E-mail (SMTP_URL); sending never throws. */
  mailer: Mailer;
  /** Redis-backed browser sessions and sign-in rate limits. */
  sessions: SessionBackend;
  /** The job queues; enqueue only after the transaction that made the work necessary has committed. */
  jobs: JobsClient;
  /** The server package version, reported by /api/info/. */
  version: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The authenticated user, if any, with their read-only grants (viewer, review links). */
      user?: User & TReadGrants;
      /**
       * Whom the read policy asks about: the user, or for an anonymous browser holding valid
       * review links, the review-link actor (`reviewLinkActor`); undefined when anonymous.
       * Read routes pass this; writes keep using `user`.
       */
      reader?: Actor;
      /** How the user authenticated; the plain key when it was an API key. */
      auth?: { method: "token"; key: string } | { method: "session" };
      deps: AppDeps;
    }
  }
}
