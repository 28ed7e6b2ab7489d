import type { Db, PrismaClient, User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";
import { generateReviewToken, hashReviewToken, REVIEW_TOKEN_RE } from "./review-link-token";

type TActingUser = Pick<User, "id" | "username" | "email" | "firstName" | "lastName">;

/** The longest a review link may live (a journal's review can take months). */
export const MAX_REVIEW_LINK_DAYS = 365;

/**
 * A new secret review link for a dandiset, valid for `days` days (1..365). Returns the link
 * row and its token: the only moment the token exists (only its SHA-256 is stored).
 * Audited (create_review_link, without the token).
 */
export async function createReviewLink(options: {
  db: PrismaClient;
  actor: TActingUser;
  dandisetId: number;
  days: number;
  label?: string;
}) {
  const { db, actor, dandisetId, days } = options;
  const token = generateReviewToken();
  const expires = new Date(Date.now() + days * 86_400_000);
  const link = await db.$transaction(async (tx) => {
    const created = await tx.reviewLink.create({
      data: {
        dandisetId,
        tokenHash: hashReviewToken(token),
        tokenPrefix: token.slice(0, 6),
        label: options.label ?? "",
        createdById: actor.id,
        expires,
      },
    });
    await writeAuditRecord(tx, {
      dandisetId,
      user: actor,
      recordType: "create_review_link",
      details: { review_link_id: created.id, label: created.label, expires: expires.toISOString() },
    });
    return created;
  });
  return { link, token };
}

/** Revokes a review link (404 when it is not this dandiset's); idempotent; audited once. */
export async function revokeReviewLink(options: {
  db: PrismaClient;
  actor: TActingUser;
  dandisetId: number;
  linkId: number;
}): Promise<void> {
  const { db, actor, dandisetId, linkId } = options;
  await db.$transaction(async (tx) => {
    const link = await tx.reviewLink.findFirst({ where: { id: linkId, dandisetId } });
    if (!link) throw ApiError.notFound();
    if (link.revoked) return;
    await tx.reviewLink.update({ where: { id: linkId }, data: { revoked: new Date() } });
    await writeAuditRecord(tx, {
      dandisetId,
      user: actor,
      recordType: "revoke_review_link",
      details: { review_link_id: linkId, label: link.label },
    });
  });
}

/** A page of a dandiset's review links, newest first (revoked and expired ones included). */
export async function listReviewLinks(db: Db, options: { dandisetId: number; offset: number; limit: number }) {
  const where = { dandisetId: options.dandisetId };
  const [count, rows] = await Promise.all([
    db.reviewLink.count({ where }),
    db.reviewLink.findMany({
      where,
      orderBy: [{ created: "desc" }, { id: "desc" }],
      skip: options.offset,
      take: options.limit,
    }),
  ]);
  return { count, rows };
}

/** The review link of this token if it is valid now (not revoked, not expired), else null. */
export async function findValidReviewLink(db: Db, token: string) {
  if (!REVIEW_TOKEN_RE.test(token)) return null;
  const link = await db.reviewLink.findUnique({ where: { tokenHash: hashReviewToken(token) } });
  if (!link || link.revoked || link.expires.getTime() <= Date.now()) return null;
  return link;
}
