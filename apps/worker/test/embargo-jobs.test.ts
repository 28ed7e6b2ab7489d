import { beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "@dandi/testing";
import { createWorkerTestContext, startTestWorker, waitForIdle, type WorkerTestContext } from "./context";

let ctx: WorkerTestContext;

beforeAll(async () => {
  ctx = await createWorkerTestContext();
  await startTestWorker(ctx.deps);
});

async function buildEmbargoedDandiset(endDate: Date) {
  const { user } = await buildUser(ctx.prisma);
  const dandiset = await ctx.prisma.dandiset.create({
    data: { embargoStatus: "EMBARGOED", embargoEndDate: endDate, owners: { create: { userId: user.id } } },
  });
  await ctx.prisma.version.create({
    data: {
      dandisetId: dandiset.id,
      version: "draft",
      name: "Embargoed",
      status: "Valid",
      metadata: {
        schemaVersion: "0.8.0",
        name: "Embargoed",
        access: [{ schemaKey: "AccessRequirements", status: "dandi:EmbargoedAccess", embargoedUntil: "2020-01-01" }],
      },
    },
  });
  return dandiset;
}

describe("embargo sweep", () => {
  it("unembargoes dandisets whose embargo ended through one job each, and leaves running embargoes alone", async () => {
    const ended = await buildEmbargoedDandiset(new Date(Date.UTC(2020, 0, 1)));
    const running = await buildEmbargoedDandiset(new Date(Date.now() + 30 * 24 * 3600_000));
    await ctx.deps.jobs.enqueue("sweepEmbargoes", {});
    await waitForIdle(ctx.deps);

    const after = await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: ended.id } });
    expect(after.embargoStatus).toBe("OPEN");
    const draft = await ctx.prisma.version.findFirstOrThrow({ where: { dandisetId: ended.id, version: "draft" } });
    expect((draft.metadata as { access: { status: string }[] }).access[0]!.status).toBe("dandi:OpenAccess");
    expect(draft.status).toBe("Pending");
    const audit = await ctx.prisma.auditRecord.findMany({ where: { dandisetId: ended.id } });
    expect(audit.map((a) => a.recordType)).toContain("unembargo_dandiset");

    const untouched = await ctx.prisma.dandiset.findUniqueOrThrow({ where: { id: running.id } });
    expect(untouched.embargoStatus).toBe("EMBARGOED");
  });

  it("running the sweep again changes nothing", async () => {
    const before = await ctx.prisma.auditRecord.count();
    await ctx.deps.jobs.enqueue("sweepEmbargoes", {});
    await waitForIdle(ctx.deps);
    expect(await ctx.prisma.auditRecord.count()).toBe(before);
  });
});
