import type { Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { TConfig } from "../config";

/** One e-mail. `to`/`cc`/`bcc` are addresses; empty lists are dropped. */
export interface TMailMessage {
  to: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  text: string;
}

/**
 * Sends e-mails without ever failing the caller: delivery errors are logged.
 * Call it after the database write that caused the e-mail has committed.
 */
export interface Mailer {
  /** Resolves once the message was handed to SMTP (or logged); never rejects. */
  send(message: TMailMessage): Promise<void>;
  /** The configured sender and admin addresses. */
  readonly from: string;
  readonly adminEmail: string;
  close(): void;
}

export interface CreateMailerOptions {
  config: Pick<TConfig, "SMTP_URL" | "DEFAULT_FROM_EMAIL" | "DANDI_ADMIN_EMAIL">;
  logger: Logger;
}

/**
 * A mailer over SMTP (nodemailer) when SMTP_URL is set; otherwise one that only
 * logs each message, so development and CI need no mail server. nodemailer is
 * imported on the first send: processes that never mail never load it.
 */
export function createMailer({ config, logger }: CreateMailerOptions): Mailer {
  let transport: Promise<Transporter> | null = null;
  const connect = (smtpUrl: string) =>
    (transport ??= import("nodemailer").then((m) =>
      m.default.createTransport(smtpUrl, { from: config.DEFAULT_FROM_EMAIL }),
    ));
  return {
    from: config.DEFAULT_FROM_EMAIL,
    adminEmail: config.DANDI_ADMIN_EMAIL,
    async send(message) {
      const clean = (list?: string[]) => (list ?? []).filter(Boolean);
      const envelope = { ...message, to: clean(message.to), cc: clean(message.cc), bcc: clean(message.bcc) };
      if (envelope.to.length + envelope.cc.length + envelope.bcc.length === 0) return;
      if (!config.SMTP_URL) {
        logger.info({ mail: { to: envelope.to, cc: envelope.cc, subject: envelope.subject } }, "e-mail (no SMTP_URL)");
        return;
      }
      try {
        await (await connect(config.SMTP_URL)).sendMail({ from: config.DEFAULT_FROM_EMAIL, ...envelope });
      } catch (err) {
        logger.error({ err, subject: envelope.subject }, "e-mail delivery failed");
      }
    },
    close() {
      void transport?.then((t) => t.close()).catch(() => undefined);
    },
  };
}
