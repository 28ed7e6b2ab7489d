import type { AccessRequest, DandisetViewer, ReviewLink, User, ViewerInvitation } from "@dandi/db";
import { formatTimestamp } from "../../lib/time";

const fullName = (u: Pick<User, "firstName" | "lastName">) => `${u.firstName} ${u.lastName}`.trim();

export function presentViewer(v: DandisetViewer & { user: User }, grantedBy: string | null) {
  return {
    username: v.user.username,
    name: fullName(v.user),
    created: formatTimestamp(v.created),
    granted_by: grantedBy,
  };
}

export function presentInvitation(i: ViewerInvitation) {
  return { id: i.id, email: i.email, created: formatTimestamp(i.created) };
}

/** A review link without its secret (never stored): the token's first characters tell links apart. */
export function presentReviewLink(l: ReviewLink, now = Date.now()) {
  return {
    id: l.id,
    label: l.label,
    token_prefix: l.tokenPrefix,
    created: formatTimestamp(l.created),
    expires: formatTimestamp(l.expires),
    revoked: l.revoked ? formatTimestamp(l.revoked) : null,
    active: !l.revoked && l.expires.getTime() > now,
  };
}

export function presentAccessRequest(r: AccessRequest & { user: User }) {
  return {
    id: r.id,
    username: r.user.username,
    name: fullName(r.user),
    message: r.message,
    status: r.status as "PENDING" | "APPROVED" | "DECLINED",
    created: formatTimestamp(r.created),
    decided: r.decided ? formatTimestamp(r.decided) : null,
  };
}
