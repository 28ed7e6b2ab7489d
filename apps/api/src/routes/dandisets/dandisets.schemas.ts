import { z } from "zod";
import { registry, ZTimestamp } from "../../openapi";

export const ZCreateDandisetBodySchema = z.object({
  name: z.string().max(300, "Ensure this field has no more than 300 characters."),
  metadata: z.record(z.string(), z.unknown()),
});

export const ZCreateDandisetQuerySchema = z.object({
  embargo: z.string().optional(),
  funding_source: z.string().optional(),
  award_number: z.string().optional(),
  embargo_end_date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
    .optional(),
});

export const ZListDandisetsQuerySchema = z.object({
  page: z.string().optional(),
  page_size: z.string().optional(),
  ordering: z.string().optional(),
  search: z.string().optional(),
  draft: z.string().optional(),
  empty: z.string().optional(),
  embargoed: z.string().optional(),
  user: z.string().optional(),
  starred: z.string().optional(),
});

export const ZOwnersBodySchema = z.array(z.object({ username: z.string().min(1, "This field may not be blank.") }));

/** DandisetVersionSerializer: a version inside a DandisetList item. */
export const ZListVersionSchema = registry.register(
  "DandisetVersion",
  z.object({
    version: z.string(),
    name: z.string(),
    asset_count: z.number().int(),
    size: z.number().int(),
    status: z.string(),
    created: ZTimestamp,
    modified: ZTimestamp,
  }),
);

/** VersionSerializer(child_context): a version inside a DandisetDetail. */
export const ZChildVersionSchema = registry.register(
  "Version",
  ZListVersionSchema.extend({ active_uploads: z.number().int(), release_notes: z.string().nullable() }),
);

/** DandisetSerializer: the fields shared by every dandiset shape. */
export const ZDandisetBaseSchema = registry.register(
  "Dandiset",
  z.object({
    identifier: z.string(),
    created: ZTimestamp,
    modified: ZTimestamp,
    contact_person: z.string(),
    embargo_status: z.enum(["OPEN", "EMBARGOED", "UNEMBARGOING"]),
    star_count: z.number().int(),
    is_starred: z.boolean(),
  }),
);

// z.union([X, z.null()]) rather than X.nullable(): zod-to-openapi 8 renders a nullable
// registered schema as allOf [$ref, {type: [object, null]}] (which null cannot satisfy),
// or drops the null altogether for an extended one.
export const ZDandisetListItemSchema = registry.register(
  "DandisetList",
  ZDandisetBaseSchema.extend({
    most_recent_published_version: z.union([ZListVersionSchema, z.null()]),
    draft_version: z.union([ZListVersionSchema, z.null()]),
  }),
);

export const ZConceptDoiSchema = registry.register(
  "ConceptDoi",
  z.object({
    doi: z.string(),
    status: z.enum(["pending", "registered", "failed", "not-configured"]),
    version: z.string().nullable(),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    modified: ZTimestamp.nullable(),
  }),
);

export const ZDandisetDetailSchema = registry.register(
  "DandisetDetail",
  ZDandisetBaseSchema.extend({
    most_recent_published_version: z.union([ZChildVersionSchema, z.null()]),
    draft_version: z.union([ZChildVersionSchema, z.null()]),
    concept_doi: z.union([ZConceptDoiSchema, z.null()]),
  }),
);

export const ZOwnerSchema = registry.register(
  "DandisetOwner",
  z.object({ username: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
);

export const ZStarCountSchema = z.object({ count: z.number().int() });

export const ZUploadSchema = registry.register(
  "DandisetUpload",
  z.object({
    created: ZTimestamp,
    blob: z.string(),
    upload_id: z.string(),
    etag: z.string().nullable(),
    size: z.number().int(),
  }),
);

export type TDandisetListItem = z.infer<typeof ZDandisetListItemSchema>;
export type TDandisetDetail = z.infer<typeof ZDandisetDetailSchema>;

/** DRF's page-number pagination parameters. */
export const ZPageQuerySchema = z.object({ page: z.string().optional(), page_size: z.string().optional() });
