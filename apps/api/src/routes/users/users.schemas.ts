import { z } from "zod";
import { registry } from "../../openapi";

/** DANDI's UserDetailSerializer: {username, name, admin, status}. */
export const ZUserSchema = registry.register(
  "User",
  z.object({
    username: z.string(),
    name: z.string(),
    admin: z.boolean(),
    status: z.enum(["INCOMPLETE", "PENDING", "APPROVED", "REJECTED"]),
  }),
);

/** A user as the admin pages see it. */
export const ZAdminUserSchema = registry.register(
  "AdminUser",
  ZUserSchema.extend({
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    is_staff: z.boolean(),
    is_active: z.boolean(),
    github_login: z.string().nullable(),
    date_joined: z.string().openapi({ format: "date-time" }),
    last_login: z.string().openapi({ format: "date-time" }).nullable(),
    questionnaire: z.unknown(),
    rejection_reason: z.string().nullable(),
  }),
);
