import { SchemaCatalog, writeAuditRecord, type TConfig } from "@dandi/core";
import type { Prisma, User } from "@dandi/db";
import type { ManageCommand, ManageContext } from "./manage-command";
import { DEMO_DANDISETS, type DemoDandiset } from "./demo-dandisets";

export const DEMO_EMAIL = "demo@example.org";

/** The draft metadata as DANDI stores it: user metadata plus the keys the server computes on save. */
function buildDraftMetadata(
  demo: DemoDandiset,
  dandiset: { id: number; created: Date },
  schemaVersion: string,
  config: TConfig,
): Record<string, unknown> {
  const identifier = String(dandiset.id).padStart(6, "0");
  const instance = config.DANDI_INSTANCE_NAME;
  const url = `${config.DANDI_WEB_APP_URL}/dandiset/${identifier}/draft`;
  const authors = (demo.metadata.contributor as { name: string; includeInCitation?: boolean }[])
    .filter((c) => c.includeInCitation)
    .map((c) => c.name)
    .join("; ");
  return {
    ...demo.metadata,
    "@context": `https://raw.githubusercontent.com/dandi/schema/master/releases/${schemaVersion}/context.json`,
    schemaKey: "Dandiset",
    schemaVersion,
    name: demo.name,
    identifier: `${instance}:${identifier}`,
    id: `${instance}:${identifier}/draft`,
    version: "draft",
    url,
    repository: config.DANDI_WEB_APP_URL,
    dateCreated: dandiset.created.toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00"),
    manifestLocation: [`${config.DANDI_API_URL}/api/dandisets/${identifier}/versions/draft/assets/`],
    access: [{ schemaKey: "AccessRequirements", status: "dandi:OpenAccess" }],
    assetsSummary: {
      schemaKey: "AssetsSummary",
      numberOfBytes: 0,
      numberOfFiles: 0,
      species: demo.species,
      approach: demo.approaches.map((name) => ({ schemaKey: "ApproachType", name })),
      measurementTechnique: demo.techniques.map((name) => ({ schemaKey: "MeasurementTechniqueType", name })),
    },
    citation: `${authors} (${dandiset.created.getUTCFullYear()}) ${demo.name} (Version draft) [Data set]. ${instance} Archive. ${url}`,
  };
}

/** The demo owner, created APPROVED on first use. */
async function ensureDemoUser({ prisma, print }: ManageContext): Promise<User> {
  const existing = await prisma.user.findUnique({ where: { email: DEMO_EMAIL } });
  if (existing) return existing;
  print(`Creating demo user ${DEMO_EMAIL}`);
  return prisma.user.create({
    data: { email: DEMO_EMAIL, username: DEMO_EMAIL, firstName: "Demo", lastName: "User", status: "APPROVED" },
  });
}

/** Creates one dandiset with its draft, its owner and its audit record, atomically. */
async function createDemoDandiset(ctx: ManageContext, owner: User, demo: DemoDandiset, catalog: SchemaCatalog | null) {
  const schemaVersion = catalog?.schemaVersion ?? "0.7.0";
  return ctx.prisma.$transaction(async (tx) => {
    const dandiset = await tx.dandiset.create({ data: { owners: { create: { userId: owner.id } } } });
    const metadata = buildDraftMetadata(demo, dandiset, schemaVersion, ctx.config);
    await tx.version.create({
      data: {
        dandisetId: dandiset.id,
        version: "draft",
        name: demo.name,
        metadata: metadata as Prisma.InputJsonValue,
        // Pending, as any new draft: the validation sweep decides Valid or Invalid.
        status: "Pending",
      },
    });
    await writeAuditRecord(tx, {
      dandisetId: dandiset.id,
      user: owner,
      recordType: "create_dandiset",
      details: { metadata: metadata as Prisma.InputJsonValue, embargoed: false },
    });
    return { dandiset, metadata };
  });
}

/** Idempotent: dandisets that the demo user already owns (by name) are left alone. */
export const seedDemoCommand: ManageCommand = {
  summary: `Create ${DEMO_DANDISETS.length} demo dandisets owned by ${DEMO_EMAIL} (idempotent)`,
  usage: "",
  options: {},
  async run(_values, ctx) {
    const owner = await ensureDemoUser(ctx);
    const catalog = await SchemaCatalog.load(ctx.config).catch((err: Error) => {
      ctx.print(`Warning: ${err.message}; the demo metadata is not validated`);
      return null;
    });
    const existing = await ctx.prisma.version.findMany({
      where: { version: "draft", dandiset: { owners: { some: { userId: owner.id } } } },
      select: { name: true },
    });
    const names = new Set(existing.map((v) => v.name));
    for (const demo of DEMO_DANDISETS) {
      if (names.has(demo.name)) {
        ctx.print(`Exists: ${demo.name}`);
        continue;
      }
      const { dandiset, metadata } = await createDemoDandiset(ctx, owner, demo, catalog);
      const issues = catalog?.validate("Dandiset", metadata) ?? [];
      for (const issue of issues) ctx.print(`  schema warning: ${issue.field}: ${issue.message}`);
      ctx.print(`Created dandiset ${String(dandiset.id).padStart(6, "0")}: ${demo.name}`);
    }
  },
};
