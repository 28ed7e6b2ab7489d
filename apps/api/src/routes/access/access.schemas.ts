import { z } from "zod";
import { registry, ZTimestamp } from "../../openapi";
import { MAX_ACCESS_REQUEST_MESSAGE, MAX_REVIEW_LINK_DAYS } from "@dandi/core";

/** Add a viewer: an existing user's username, or an e-mail address (an invitation when no account has it). */
export const ZAddViewerBody = z
  .object({
    username: z.string().trim().min(1, "This field may not be blank.").max(150).optional(),
    email: z.string().trim().min(1, "This field may not be blank.").max(254).optional(),
  })
  .strict()
  .refine((b) => (b.username === undefined) !== (b.email === undefined), {
    message: "Give exactly one of username and email.",
    path: ["non_field_errors"],
  });

export const ZViewerSchema = registry.register(
  "DandisetViewer",
  z.object({
    username: z.string(),
    name: z.string(),
    created: ZTimestamp,
    granted_by: z.string().nullable(),
  }),
);

export const ZInvitationSchema = registry.register(
  "ViewerInvitation",
  z.object({ id: z.number().int(), email: z.string(), created: ZTimestamp }),
);

/** What POST viewers/ did: a viewer (an account) or an invitation (an address without one). */
export const ZViewerGrantSchema = registry.register(
  "ViewerGrant",
  z.object({
    kind: z.enum(["viewer", "invitation"]),
    // A union rather than .nullable(): zod-to-openapi renders a nullable $ref as allOf [$ref, {type: [object, null]}],
    // which schemathesis cannot read (its dependency analysis crashes on a list `type` in allOf).
    viewer: z.union([ZViewerSchema, z.null()]),
    invitation: z.union([ZInvitationSchema, z.null()]),
  }),
);

export const ZCreateReviewLinkBody = z
  .object({
    expires_in_days: z
      .number()
      .int("A valid integer is required.")
      .min(1, "Ensure this value is greater than or equal to 1.")
      .max(MAX_REVIEW_LINK_DAYS, `Ensure this value is less than or equal to ${MAX_REVIEW_LINK_DAYS}.`),
    label: z.string().trim().max(200, "Ensure this field has no more than 200 characters.").optional(),
  })
  .strict();

export const ZReviewLinkSchema = registry.register(
  "ReviewLink",
  z.object({
    id: z.number().int(),
    label: z.string(),
    token_prefix: z.string(),
    created: ZTimestamp,
    expires: ZTimestamp,
    revoked: ZTimestamp.nullable(),
    active: z.boolean(),
  }),
);

/** The created link, with its secret URL: shown this once. */
export const ZCreatedReviewLinkSchema = registry.register(
  "CreatedReviewLink",
  ZReviewLinkSchema.extend({ url: z.string().openapi({ format: "uri" }) }),
);

export const ZCreateAccessRequestBody = z
  .object({
    message: z
      .string()
      .max(MAX_ACCESS_REQUEST_MESSAGE, `Ensure this field has no more than ${MAX_ACCESS_REQUEST_MESSAGE} characters.`)
      .default(""),
  })
  .strict();

export const ZAccessRequestStatus = z.enum(["PENDING", "APPROVED", "DECLINED"]);

export const ZAccessRequestSchema = registry.register(
  "AccessRequest",
  z.object({
    id: z.number().int(),
    username: z.string(),
    name: z.string(),
    message: z.string(),
    status: ZAccessRequestStatus,
    created: ZTimestamp,
    decided: ZTimestamp.nullable(),
  }),
);

export const ZListAccessRequestsQuery = z.object({
  status: ZAccessRequestStatus.optional(),
  page: z.string().optional(),
  page_size: z.string().optional(),
});

export const ZPageQuery = z.object({ page: z.string().optional(), page_size: z.string().optional() });

/** The caller's standing with one dandiset (what the web app shows on a page it cannot read). */
export const ZDandisetAccessSchema = registry.register(
  "DandisetAccess",
  z.object({
    identifier: z.string(),
    embargoed: z.boolean(),
    can_read: z.boolean(),
    role: z.enum(["owner", "admin", "viewer", "reviewer"]).nullable(),
    can_manage: z.boolean(),
    can_request: z.boolean(),
    request: z
      .object({
        id: z.number().int(),
        status: ZAccessRequestStatus,
        created: ZTimestamp,
        decided: ZTimestamp.nullable(),
      })
      .nullable(),
  }),
);
