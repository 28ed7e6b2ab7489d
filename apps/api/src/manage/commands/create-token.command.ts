import { regenerateApiKey } from "@dandi/core";
import { requireOption, type ManageCommand } from "./manage-command";

/**
 * DRF's `drf_create_token`: replaces the user's API key and prints it. The line
 * format is matched by the dandi CLI's test fixtures, so it must not change.
 */
export const createTokenCommand: ManageCommand = {
  summary: "Generate (replace) a user's API key and print it",
  usage: "--email E",
  options: { email: { type: "string" } },
  async run(values, { prisma, print }) {
    const email = requireOption(values, "email").toLowerCase();
    const user = await prisma.user.findFirst({ where: { OR: [{ email }, { username: email }] } });
    if (!user) throw new Error(`No user with e-mail ${email}`);
    const key = await regenerateApiKey(prisma, user.id);
    print(`Generated token ${key} for user ${user.email}`);
  },
};
