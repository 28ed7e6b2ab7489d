import { Prisma, type Db, type PrismaClient, type User } from "@dandi/db";
import { writeAuditRecord } from "../audit";
import { ApiError } from "../errors";

type TActingUser = Pick<User, "id" | "username" | "email" | "firstName" | "lastName">;

/** The longest message a request may carry. */
export const MAX_ACCESS_REQUEST_MESSAGE = 2000;
/** Requests one user may make in 24 hours, over all dandisets (bounds the owners' mail). */
export const ACCESS_REQUESTS_PER_DAY = 20;

export type TAccessRequestStatus = "PENDING" | "APPROVED" | "DECLINED";

/**
 * A signed-in user's request to view a dandiset (the caller checked `canRequestAccess`): 400
 * when the message is too long, 409 when a request of theirs is pending already, 429 past
 * ACCESS_REQUESTS_PER_DAY. Audited (request_access) in the same transaction.
 */
export async function createAccessRequest(options: {
  db: PrismaClient;
  user: TActingUser;
  dandisetId: number;
  message: string;
}) {
  const { db, user, dandisetId } = options;
  const message = options.message.trim();
  if (message.length > MAX_ACCESS_REQUEST_MESSAGE) {
    throw ApiError.fields({
      message: [`Ensure this field has no more than ${MAX_ACCESS_REQUEST_MESSAGE} characters.`],
    });
  }
  return db.$transaction(async (tx) => {
    // Serialise one user's requests, so that the daily bound and the pending check hold.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${user.id} FOR UPDATE`;
    const recent = await tx.accessRequest.count({
      where: { userId: user.id, created: { gt: new Date(Date.now() - 86_400_000) } },
    });
    if (recent >= ACCESS_REQUESTS_PER_DAY) {
      throw ApiError.detail(429, "Too many access requests today; try again tomorrow.", { "Retry-After": "3600" });
    }
    const pending = await tx.accessRequest.findFirst({ where: { userId: user.id, dandisetId, status: "PENDING" } });
    if (pending) throw ApiError.detail(409, "You have already asked for access to this dandiset.");
    const request = await tx.accessRequest.create({ data: { dandisetId, userId: user.id, message } });
    await writeAuditRecord(tx, {
      dandisetId,
      user,
      recordType: "request_access",
      details: { access_request_id: request.id },
    });
    return request;
  });
}

/** A page of a dandiset's requests (optionally of one status), newest first, with the requesters. */
export async function listAccessRequests(
  db: Db,
  options: { dandisetId: number; status?: TAccessRequestStatus; offset: number; limit: number },
) {
  const where: Prisma.AccessRequestWhereInput = { dandisetId: options.dandisetId };
  if (options.status) where.status = options.status;
  const [count, rows] = await Promise.all([
    db.accessRequest.count({ where }),
    db.accessRequest.findMany({
      where,
      include: { user: true },
      orderBy: [{ created: "desc" }, { id: "desc" }],
      skip: options.offset,
      take: options.limit,
    }),
  ]);
  return { count, rows };
}

/** The caller's latest request for this dandiset, or null. */
export async function findOwnAccessRequest(db: Db, options: { dandisetId: number; userId: number }) {
  return db.accessRequest.findFirst({
    where: { dandisetId: options.dandisetId, userId: options.userId },
    orderBy: [{ created: "desc" }, { id: "desc" }],
  });
}

/**
 * Approves (the requester becomes a viewer) or declines a pending request: 404 when it is not
 * this dandiset's, 409 when it was decided already. One transaction with its audit record
 * (approve_access_request / decline_access_request, plus add_viewer on approval).
 */
export async function decideAccessRequest(options: {
  db: PrismaClient;
  actor: TActingUser;
  dandisetId: number;
  requestId: number;
  approve: boolean;
}) {
  const { db, actor, dandisetId, requestId, approve } = options;
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: number }[]>`
      SELECT id FROM access_requests WHERE id = ${requestId} AND dandiset_id = ${dandisetId} FOR UPDATE`;
    if (!locked) throw ApiError.notFound();
    const request = await tx.accessRequest.findUniqueOrThrow({ where: { id: requestId }, include: { user: true } });
    if (request.status !== "PENDING") throw ApiError.detail(409, "This request has been decided already.");
    const decided = await tx.accessRequest.update({
      where: { id: requestId },
      data: { status: approve ? "APPROVED" : "DECLINED", decided: new Date(), decidedById: actor.id },
      include: { user: true },
    });
    const details = { access_request_id: requestId, username: request.user.username };
    if (approve) {
      const owner = await tx.dandisetOwner.findUnique({
        where: { dandisetId_userId: { dandisetId, userId: request.userId } },
      });
      if (!owner) {
        const viewer = await tx.dandisetViewer.findUnique({
          where: { dandisetId_userId: { dandisetId, userId: request.userId } },
        });
        if (!viewer) {
          await tx.dandisetViewer.create({ data: { dandisetId, userId: request.userId, grantedById: actor.id } });
          await writeAuditRecord(tx, {
            dandisetId,
            user: actor,
            recordType: "add_viewer",
            details: { username: request.user.username, access_request_id: requestId },
          });
        }
      }
    }
    await writeAuditRecord(tx, {
      dandisetId,
      user: actor,
      recordType: approve ? "approve_access_request" : "decline_access_request",
      details,
    });
    return decided;
  });
}
