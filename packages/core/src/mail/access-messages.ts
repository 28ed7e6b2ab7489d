import type { User } from "@dandi/db";
import type { TMailMessage } from "./mailer";
import { greeting, type TMailContext } from "./messages";

/**
 * The e-mails of read-only access (viewers, invitations, access requests). The dandiset's name
 * goes only to people who may see it (owners, viewers); an invitee without an account and a
 * requester who was declined learn the identifier only.
 */

type TMailUser = Pick<User, "username" | "email" | "firstName" | "lastName">;
type TDandisetRef = { identifier: string; name: string };

const dandisetUrl = (ctx: TMailContext, identifier: string) => `${ctx.webAppUrl}/dandiset/${identifier}`;

/** To a user who was made a viewer (by an owner, or by an approved request). */
export function buildViewerAddedMessage(user: TMailUser, dandiset: TDandisetRef, ctx: TMailContext): TMailMessage {
  return {
    to: [user.email],
    subject: `DANDI: You can now view Dandiset ${dandiset.identifier}`,
    text:
      `${greeting(user)}\n\nYou have been given read-only access to the embargoed Dandiset ` +
      `${dandiset.identifier} "${dandiset.name}": ${dandisetUrl(ctx, dandiset.identifier)}\n\n` +
      `You can see its metadata and files and download them, in the web app and with the dandi ` +
      `command-line client and your API key.\n\nThe DANDI team\n`,
  };
}

/** To an e-mail address without an account, invited to view a dandiset. */
export function buildViewerInvitationMessage(
  email: string,
  inviter: TMailUser,
  dandiset: Pick<TDandisetRef, "identifier">,
  ctx: TMailContext,
): TMailMessage {
  const who = `${inviter.firstName} ${inviter.lastName}`.trim() || inviter.username;
  return {
    to: [email],
    subject: `DANDI: Invitation to view Dandiset ${dandiset.identifier}`,
    text:
      `Hello,\n\n${who} invited you to view the embargoed Dandiset ${dandiset.identifier} on the DANDI ` +
      `Archive. Sign in (or sign up) at ${ctx.webAppUrl} with this e-mail address (${email}); the ` +
      `dandiset will then be readable for you at ${dandisetUrl(ctx, dandiset.identifier)}\n\nThe DANDI team\n`,
  };
}

/** To the dandiset's owners: someone asks for access. */
export function buildAccessRequestMessage(
  owners: TMailUser[],
  requester: TMailUser,
  message: string,
  dandiset: TDandisetRef,
  ctx: TMailContext,
): TMailMessage {
  const who = `${requester.firstName} ${requester.lastName}`.trim();
  return {
    to: owners.map((o) => o.email),
    subject: `DANDI: ${requester.username} asks for access to Dandiset ${dandiset.identifier}`,
    text:
      `Dear owners of Dandiset ${dandiset.identifier} "${dandiset.name}",\n\n` +
      `${requester.username}${who ? ` (${who})` : ""} asks for read-only access to it` +
      `${message ? `, with this message:\n\n${message}\n\n` : ".\n\n"}` +
      `Approve or decline the request in the dandiset's "Sharing" dialog: ${dandisetUrl(ctx, dandiset.identifier)}\n`,
  };
}

/** To the requester: their request was approved or declined. */
export function buildAccessDecisionMessage(
  requester: TMailUser,
  approved: boolean,
  dandiset: TDandisetRef,
  ctx: TMailContext,
): TMailMessage {
  const url = dandisetUrl(ctx, dandiset.identifier);
  return {
    to: [requester.email],
    subject: `DANDI: Your request for Dandiset ${dandiset.identifier} was ${approved ? "approved" : "declined"}`,
    text: approved
      ? `${greeting(requester)}\n\nYour request to view Dandiset ${dandiset.identifier} "${dandiset.name}" was approved: ${url}\n\nThe DANDI team\n`
      : `${greeting(requester)}\n\nYour request to view Dandiset ${dandiset.identifier} was declined by its owners.\n\nThe DANDI team\n`,
  };
}
