import { z } from "zod";

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
