import { Router, type Request } from "express";
import { z } from "zod";
import { ApiError, canViewAdmin, parseTimestamp } from "@dandi/core";
import { json, REQUIRED_AUTH, registry, ZJsonObject } from "../../openapi";
import { parseOrThrow, parseQueryBoolean } from "../../lib/validate";
import { absoluteRequestUrl } from "../../lib/request-url";
import { formatTimestamp } from "../../lib/time";
import { MAX_PAGE_SIZE } from "../../lib/pagination";
import { listAssetAuditEvents, type TAuditCursor } from "./asset-audit-events";

const ZAuditEventsQuery = z.object({
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  page_size: z.string().regex(/^\d+$/).optional(),
  cursor: z.string().max(500).optional(),
});

const ZCursor = z.object({ ts: z.string().max(40), id: z.string().regex(/^\d+$/), dir: z.enum(["n", "p"]) });

registry.registerPath({
  method: "get",
  path: "/api/audit/events/asset",
  summary: "Asset audit events (staff), cursor-paginated",
  security: REQUIRED_AUTH,
  request: { query: ZAuditEventsQuery },
  responses: {
    200: json(
      "{next, previous, results}",
      z.object({
        next: z.string().nullable(),
        previous: z.string().nullable(),
        results: z.array(
          z.object({
            id: z.number().int(),
            dandiset_id: z.number().int(),
            timestamp: z.string(),
            record_type: z.string(),
            details: ZJsonObject,
          }),
        ),
      }),
    ),
    403: { description: "Not staff" },
  },
});

function decodeCursor(raw: string | undefined): TAuditCursor | undefined {
  if (raw === undefined) return undefined;
  try {
    return ZCursor.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw ApiError.notFound("Invalid cursor");
  }
}

function cursorUrl(req: Request, cursor: TAuditCursor): string {
  const url = absoluteRequestUrl(req);
  url.searchParams.set("cursor", Buffer.from(JSON.stringify(cursor)).toString("base64url"));
  return url.toString();
}

/** DANDI's `GET /api/audit/events/asset` (no trailing slash), for staff. */
export function auditEventsRouter(): Router {
  const router = Router();
  router.get("/audit/events/asset", async (req, res) => {
    if (!req.user) throw ApiError.unauthenticated();
    if (!canViewAdmin(req.user)) throw ApiError.forbidden();
    const query = parseOrThrow(ZAuditEventsQuery, req.query);
    const reverse = parseQueryBoolean(req.query.reverse_order, "reverse_order") ?? false;
    const pageSize = Math.min(Math.max(Number(query.page_size ?? 100), 1), MAX_PAGE_SIZE);
    const { rows, hasNext, hasPrevious } = await listAssetAuditEvents({
      prisma: req.deps.prisma,
      before: query.before ? new Date(query.before) : undefined,
      after: query.after ? new Date(query.after) : undefined,
      reverse,
      pageSize,
      cursor: decodeCursor(query.cursor),
    });
    const first = rows[0];
    const last = rows.at(-1);
    res.json({
      next: hasNext && last ? cursorUrl(req, { ts: last.ts, id: String(last.id), dir: "n" }) : null,
      previous: hasPrevious && first ? cursorUrl(req, { ts: first.ts, id: String(first.id), dir: "p" }) : null,
      results: rows.map((r) => {
        // As DANDI: the asset metadata stays out of the feed.
        const { metadata: _metadata, ...details } = r.details ?? {};
        return {
          id: r.id,
          dandiset_id: r.dandiset_id,
          timestamp: formatTimestamp(parseTimestamp(r.ts)),
          record_type: r.record_type,
          details,
        };
      }),
    });
  });
  return router;
}
