import { SchemaCatalog, createDandiset, makeUsername } from "@dandi/core";
import type { User } from "@dandi/db";
import type { ManageCommand, ManageContext } from "./manage-command";
import { DEMO_DANDISETS } from "./demo-dandisets";

export const DEMO_EMAIL = "demo@example.org";

/** The demo owner, created APPROVED on first use. */
async function ensureDemoUser({ prisma, print }: ManageContext): Promise<User> {
  const existing = await prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (existing) return existing;
  print(`Creating demo user ${DEMO_EMAIL}`);
  return prisma.user.create({
    data: {
      email: DEMO_EMAIL,
      username: await makeUsername(prisma, DEMO_EMAIL),
      firstName: "Demo",
      lastName: "User",
      status: "APPROVED",
    },
  });
}

/**
 * Creates the demo dandisets through the same core function as POST
 * /api/dandisets/ (draft, owner and audit record in one transaction).
 * Idempotent: dandisets the demo user already owns, by name, are left alone.
 */
export const seedDemoCommand: ManageCommand = {
  summary: `Create ${DEMO_DANDISETS.length} demo dandisets owned by ${DEMO_EMAIL} (idempotent)`,
  usage: "",
  options: {},
  async run(_values, ctx) {
    const { prisma, config, print } = ctx;
    const catalog = await SchemaCatalog.load(config);
    const owner = await ensureDemoUser(ctx);
    const existing = await prisma.version.findMany({
      where: { version: "draft", dandiset: { owners: { some: { userId: owner.id } } } },
      select: { name: true },
    });
    const names = new Set(existing.map((v) => v.name));
    for (const demo of DEMO_DANDISETS) {
      if (names.has(demo.name)) {
        print(`Exists: ${demo.name}`);
        continue;
      }
      const id = await createDandiset({
        db: prisma,
        config,
        schemaVersion: catalog.schemaVersion,
        user: owner,
        name: demo.name,
        metadata: demo.metadata,
      });
      const draft = await prisma.version.findUniqueOrThrow({
        where: { dandisetId_version: { dandisetId: id, version: "draft" } },
      });
      // The demo data should be publishable as is: say so loudly if the schema disagrees.
      for (const issue of catalog.validate("Dandiset", draft.metadata)) {
        print(`  schema warning: ${issue.field}: ${issue.message}`);
      }
      print(`Created dandiset ${String(id).padStart(6, "0")}: ${demo.name}`);
    }
  },
};
