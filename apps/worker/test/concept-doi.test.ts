import { afterAll, describe, expect, it } from "vitest";
import { startFakeDatacite } from "@dandi/testing";
import { JOBS } from "@dandi/jobs";
import { handleRegisterConceptDoi } from "../src/handlers/register-concept-doi.handler";
import { createWorkerTestContext, startTestWorker, waitFor, waitForIdle } from "./context";
import { seedDandisetWithAssets } from "./seed-dandiset";

const datacite = await startFakeDatacite();
afterAll(() => datacite.close());
const { deps, prisma } = await createWorkerTestContext({
  DANDI_DOI_API_URL: datacite.url,
  DANDI_DOI_API_USER: datacite.user,
  DANDI_DOI_API_PASSWORD: datacite.password,
  DANDI_DOI_PUBLISH: "true",
});
await startTestWorker(deps);

/** Publishes the draft the way POST .../publish/ does (draft Publishing, then the job). */
async function publish(dandisetId: number, userId: number): Promise<string> {
  await prisma.version.updateMany({ where: { dandisetId, version: "draft" }, data: { status: "Publishing" } });
  await deps.jobs.enqueue("publishDandiset", { dandisetId, userId });
  await waitFor(async () => {
    const draft = await prisma.version.findFirst({ where: { dandisetId, version: "draft" } });
    return draft?.status === "Published";
  });
  await waitForIdle(deps);
  const newest = await prisma.version.findFirstOrThrow({
    where: { dandisetId, version: { not: "draft" } },
    orderBy: { id: "desc" },
  });
  return newest.version;
}

const conceptState = (id: number) =>
  prisma.dandiset.findUniqueOrThrow({
    where: { id },
    select: {
      conceptDoi: true,
      conceptDoiStatus: true,
      conceptDoiVersion: true,
      conceptDoiAttempts: true,
      conceptDoiError: true,
    },
  });

describe("the concept DOI", () => {
  it("is registered at the first publish and moved to each newer version", async () => {
    const { dandisetId, userId } = await seedDandisetWithAssets(prisma, 2);
    const id = String(dandisetId).padStart(6, "0");
    const concept = `10.80507/dandi.${id}`;
    const first = await publish(dandisetId, userId);
    expect(await conceptState(dandisetId)).toEqual({
      conceptDoi: concept,
      conceptDoiStatus: "registered",
      conceptDoiVersion: first,
      conceptDoiAttempts: 1,
      conceptDoiError: null,
    });
    expect(datacite.dois.get(concept)).toMatchObject({
      state: "findable",
      url: `http://web.test/dandiset/${id}/${first}`,
      relatedIdentifiers: [
        { relatedIdentifier: `${concept}/${first}`, relationType: "HasVersion", relatedIdentifierType: "DOI" },
      ],
    });
    // The version DOI points back at it.
    expect(datacite.dois.get(`${concept}/${first}`)).toMatchObject({
      relatedIdentifiers: [{ relatedIdentifier: concept, relationType: "IsVersionOf" }],
    });

    // A second publish (the same minute gets the next minute's version string).
    const second = await publish(dandisetId, userId);
    expect(second).not.toBe(first);
    expect((await conceptState(dandisetId)).conceptDoiVersion).toBe(second);
    expect(datacite.dois.get(concept)).toMatchObject({ url: `http://web.test/dandiset/${id}/${second}` });
    // Moved with a PUT after DataCite's 422 "already taken".
    expect(datacite.requests.filter((r) => r.method === "PUT" && r.path === `/dois/${concept}`)).toHaveLength(1);
  }, 180_000);

  it("keeps a visible state while DataCite is down, retries, and gives up after the job's attempts", async () => {
    const { dandisetId, userId } = await seedDandisetWithAssets(prisma, 1);
    const version = await publish(dandisetId, userId);
    const run = () => handleRegisterConceptDoi({ dandisetId }, deps);
    // Make the next publish's registration run again: DataCite lost it.
    await prisma.$executeRaw`UPDATE dandisets SET concept_doi_status = 'pending', concept_doi_attempts = 0 WHERE id = ${dandisetId}`;

    datacite.failNext(1);
    await expect(run()).rejects.toThrow("DataCite POST /dois failed: HTTP 503");
    expect(await conceptState(dandisetId)).toMatchObject({
      conceptDoiStatus: "pending",
      conceptDoiVersion: version,
      conceptDoiAttempts: 1,
      conceptDoiError: "DataCite POST /dois failed: HTTP 503",
    });
    // The retry (BullMQ's backoff) finds DataCite back.
    expect((await run()).status).toBe("success");
    expect(await conceptState(dandisetId)).toMatchObject({
      conceptDoiStatus: "registered",
      conceptDoiAttempts: 2,
      conceptDoiError: null,
    });
    expect((await run()).detail).toMatchObject({ status: "already-registered" });

    // A long outage: after the job's last attempt the state says so.
    await prisma.$executeRaw`UPDATE dandisets SET concept_doi_status = 'pending', concept_doi_attempts = 0 WHERE id = ${dandisetId}`;
    const attempts = JOBS.registerConceptDoi.options.attempts!;
    expect(attempts).toBeGreaterThan(1);
    expect(JOBS.registerConceptDoi.options.backoff).toMatchObject({ type: "exponential" });
    datacite.failNext(attempts * 2);
    for (let n = 1; n <= attempts; n++) {
      await expect(run()).rejects.toThrow("HTTP 503");
      expect((await conceptState(dandisetId)).conceptDoiStatus).toBe(n < attempts ? "pending" : "failed");
    }
    datacite.failNext(0);
  }, 120_000);
});
