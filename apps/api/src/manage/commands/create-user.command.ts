import { createUser } from "@dandi/core";
import type { UserStatus } from "@dandi/db";
import { requireOption, type ManageCommand } from "./manage-command";
import { hashPassword } from "./hash-password";

const STATUSES: UserStatus[] = ["INCOMPLETE", "PENDING", "APPROVED", "REJECTED"];

/** Creates a user with a given approval status (test and demo accounts). */
export const createUserCommand: ManageCommand = {
  summary: "Create a user with an approval status",
  usage:
    "--email E --status APPROVED|PENDING|INCOMPLETE|REJECTED [--first-name F] [--last-name L] [--password P] [--superuser]",
  options: {
    email: { type: "string" },
    status: { type: "string" },
    "first-name": { type: "string" },
    "last-name": { type: "string" },
    password: { type: "string" },
    superuser: { type: "boolean" },
  },
  async run(values, { prisma, print }) {
    const email = requireOption(values, "email");
    const status = requireOption(values, "status").toUpperCase() as UserStatus;
    if (!STATUSES.includes(status)) throw new Error(`--status must be one of ${STATUSES.join(", ")}`);
    const password = typeof values.password === "string" ? values.password : undefined;
    const user = await createUser(prisma, {
      email,
      status,
      firstName: typeof values["first-name"] === "string" ? values["first-name"] : "",
      lastName: typeof values["last-name"] === "string" ? values["last-name"] : "",
      isSuperuser: values.superuser === true,
      passwordHash: password ? await hashPassword(password) : null,
    });
    print(`Created user ${user.email} (status ${user.status}${user.isSuperuser ? ", superuser" : ""})`);
  },
};
