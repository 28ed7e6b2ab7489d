import { createUser } from "@dandi/core";
import { requireOption, type ManageCommand } from "./manage-command";
import { hashPassword } from "./hash-password";

/** DANDI's `createsuperuser --no-input --email ...`: an APPROVED superuser named "Super User". */
export const createSuperuserCommand: ManageCommand = {
  summary: "Create an APPROVED superuser",
  usage: "--email E [--password P]",
  options: { email: { type: "string" }, password: { type: "string" } },
  async run(values, { prisma, print }) {
    const email = requireOption(values, "email");
    const password = typeof values.password === "string" ? values.password : undefined;
    const user = await createUser(prisma, {
      email,
      status: "APPROVED",
      firstName: "Super",
      lastName: "User",
      isSuperuser: true,
      passwordHash: password ? await hashPassword(password) : null,
    });
    print(`Superuser created successfully: ${user.email}${password ? "" : " (no password: sign in with an API key)"}`);
  },
};
