import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type PrismaClient } from "@dandi/db";
import { JobsClient } from "@dandi/jobs";
import { buildUser, startFakeSentry, type FakeSentry } from "@dandi/testing";
import { startApiProcess, type ApiProcess } from "./api-process";

// The API as it runs in production (its own process, stdout, Sentry through SENTRY_DSN) pointed at a
// local server that speaks Sentry's envelope protocol.
let sentry: FakeSentry;
let api: ApiProcess;
let prisma: PrismaClient;
let token: string;
let userId: number;
let sent = 0;

const COOKIE_SECRET = "s%3AcookieSecretValue0123456789.signatureOfTheSessionCookie";

beforeAll(async () => {
  sentry = await startFakeSentry();
  api = await startApiProcess({
    SENTRY_DSN: sentry.dsn,
    SENTRY_ENVIRONMENT: "observability-test",
    SENTRY_RELEASE: "dandi-api@observability-test",
    SENTRY_TRACES_SAMPLE_RATE: "0",
  });
  prisma = createPrisma({ databaseUrl: api.databaseUrl, poolSize: 2 });
  const built = await buildUser(prisma);
  token = built.token;
  userId = built.user.id;
}, 90_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await api?.stop();
  await sentry?.close();
});

async function call(method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  sent += 1;
  const isJson = options.body !== undefined && !Buffer.isBuffer(options.body) && typeof options.body !== "string";
  const headers: Record<string, string> = {
    Authorization: `token ${token}`,
    ...(isJson && { "Content-Type": "application/json" }),
    ...options.headers,
  };
  // Authorization "" means none (signed storage URLs, a browser).
  if (!headers.Authorization) delete headers.Authorization;
  const res = await fetch(url.startsWith("http") ? url : `${api.url}${url}`, {
    method,
    redirect: "manual",
    headers,
    body: isJson ? JSON.stringify(options.body) : (options.body as unknown as RequestInit["body"]),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (a file, S3 XML).
  }
  return { res, json, text };
}

/** DANDI's upload protocol against the local backend's signed URLs; returns the URLs it used. */
async function uploadFile(dandisetId: string, content: Buffer, validateRequestId: string) {
  const partMd5 = createHash("md5").update(content).digest();
  const etag = `${createHash("md5").update(partMd5).digest("hex")}-1`;
  const init = await call("POST", "/api/uploads/initialize/", {
    body: { contentSize: content.length, digest: { algorithm: "dandi:dandi-etag", value: etag }, dandiset: dandisetId },
  });
  expect(init.res.status).toBe(200);
  const part = (init.json.parts as { part_number: number; size: number; upload_url: string }[])[0]!;
  const put = await call("PUT", part.upload_url, { body: content, headers: { Authorization: "" } });
  expect(put.res.status).toBe(200);
  const done = await call("POST", `/api/uploads/${init.json.upload_id as string}/complete/`, {
    body: { parts: [{ part_number: 1, size: part.size, etag: put.res.headers.get("etag")!.replaceAll('"', "") }] },
  });
  const completeUrl = done.json.complete_url as string;
  expect(
    (await call("POST", completeUrl, { body: done.json.body as string, headers: { Authorization: "" } })).res.status,
  ).toBe(200);
  const blob = await call("POST", `/api/uploads/${init.json.upload_id as string}/validate/`, {
    headers: { "X-Request-Id": validateRequestId },
  });
  expect(blob.res.status).toBe(200);
  return { blobId: blob.json.blob_id as string, signedUrls: [part.upload_url, completeUrl] };
}

const signatureOf = (url: string) => new URL(url).searchParams.get("signature")!;
// The lines of the requests this file sends (not the start-up probes of /api/info/).
const requestLines = () => api.logLines().filter((l) => l.msg === "request" && l.url !== "/api/info/");

async function waitForLines(count: number) {
  for (let i = 0; i < 50 && requestLines().length < count; i++) await new Promise((r) => setTimeout(r, 100));
}

describe("request logs", () => {
  it("writes one JSON line per request, with the route, and no token, cookie or URL signature anywhere", async () => {
    const created = await call("POST", "/api/dandisets/?embargo=true", {
      body: { name: "Observed", metadata: { name: "Observed", description: "Logs" } },
    });
    expect(created.res.status).toBe(200);
    const id = created.json.identifier as string;
    const { blobId, signedUrls } = await uploadFile(id, Buffer.from("embargoed bytes"), "obs-validate-0001");
    const asset = await call("POST", `/api/dandisets/${id}/versions/draft/assets/`, {
      body: { blob_id: blobId, metadata: { path: "a/secret.txt", schemaKey: "Asset", encodingFormat: "text/plain" } },
    });
    expect(asset.res.status).toBe(200);
    const download = await call("GET", `/api/assets/${asset.json.asset_id as string}/download/`);
    expect(download.res.status).toBe(302);
    const location = download.res.headers.get("location")!;
    expect(location).toContain("signature=");
    expect((await call("GET", location, { headers: { Authorization: "" } })).text).toBe("embargoed bytes");
    // A browser's session cookie and a forged request id (refused: a fresh UUID is used and echoed).
    const browser = await call("GET", `/api/dandisets/${id}/`, {
      headers: { Authorization: "", Cookie: `sessionid=${COOKIE_SECRET}`, "X-Request-Id": "bad id <script>" },
    });
    expect(browser.res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    // A review link's secret: created, opened (a valid token) and asked again once revoked (a 404).
    const link = await call("POST", `/api/dandisets/${id}/review-links/`, { body: { expires_in_days: 2 } });
    expect(link.res.status).toBe(201);
    const reviewPath = new URL(link.json.url as string).pathname;
    const reviewToken = reviewPath.split("/")[3]!;
    expect(reviewToken).toHaveLength(43);
    const opened = await call("GET", reviewPath, { headers: { Authorization: "" } });
    expect(opened.res.status).toBe(302);
    expect((await call("DELETE", `/api/dandisets/${id}/review-links/${link.json.id as number}/`)).res.status).toBe(204);
    expect((await call("GET", reviewPath, { headers: { Authorization: "" } })).res.status).toBe(404);

    await waitForLines(sent);
    const lines = requestLines();
    expect(lines).toHaveLength(sent);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining([
          "level",
          "time",
          "req_id",
          "method",
          "url",
          "status",
          "duration_ms",
          "user_id",
          "route",
        ]),
      );
      expect(line).not.toHaveProperty("req");
      expect(line).not.toHaveProperty("res");
      expect(typeof line.duration_ms).toBe("number");
    }
    const downloadLine = lines.find((l) => l.status === 302)!;
    expect(downloadLine).toMatchObject({
      method: "GET",
      route: "/api/assets/:assetId/download/",
      user_id: userId,
      level: 30,
    });
    expect(downloadLine.location).toContain("signature=[Filtered]");
    expect(lines.find((l) => l.req_id === "obs-validate-0001")).toMatchObject({
      route: "/api/uploads/:uploadId/validate/",
      status: 200,
    });
    expect(lines.find((l) => l.req_id === browser.res.headers.get("x-request-id"))).toMatchObject({ user_id: null });
    expect(lines.filter((l) => String(l.url).startsWith("/storage/")).length).toBeGreaterThanOrEqual(3);

    const everything = api.stdout().join("\n");
    expect(everything).not.toContain(reviewToken);
    expect(lines.filter((l) => l.route === "/api/review/:token/").map((l) => l.url)).toEqual([
      "/api/review/[Filtered]/",
      "/api/review/[Filtered]/",
    ]);
    const secrets = [token, COOKIE_SECRET, "cookieSecretValue", ...[...signedUrls, location].map(signatureOf)];
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything.toLowerCase()).not.toContain("authorization");

    // The checksum job queued by the validate request carries that request's id.
    const jobs = new JobsClient({ redisUrl: "redis://127.0.0.1:6379", prefix: api.jobsPrefix });
    try {
      const queued = await jobs.queue("checksum").getJobs(["waiting", "delayed", "active", "completed", "failed"]);
      expect(queued.find((j) => j.name === "computeBlobSha256")?.data).toMatchObject({
        requestId: "obs-validate-0001",
      });
    } finally {
      await jobs.close();
    }
  });
});

describe("Sentry", () => {
  it("receives an unhandled error (a missing table) tagged with the request id, without secrets", async () => {
    await prisma.$executeRawUnsafe('ALTER TABLE "uploads" RENAME TO "uploads_moved_away"');
    try {
      const amzSignature = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
      const failed = await call("POST", `/api/uploads/initialize/?X-Amz-Signature=${amzSignature}&x=1`, {
        body: {
          contentSize: 3,
          digest: { algorithm: "dandi:dandi-etag", value: "0".repeat(32) + "-1" },
          dandiset: "000001",
        },
        headers: { Cookie: `sessionid=${COOKIE_SECRET}`, "X-Request-Id": "obs-fault-0001" },
      });
      expect(failed.res.status).toBe(500);
      expect(failed.json).toMatchObject({ request_id: "obs-fault-0001" });

      const event = await sentry.waitForEvent((e) => e.tags?.request_id === "obs-fault-0001");
      expect(event).toMatchObject({
        level: "error",
        environment: "observability-test",
        release: "dandi-api@observability-test",
        tags: { request_id: "obs-fault-0001", method: "POST", process: "api" },
        user: { id: String(userId) },
      });
      expect(event.exception?.values?.[0]?.value).toMatch(/uploads/);
      const raw = sentry.rawText();
      for (const secret of [token, COOKIE_SECRET, "cookieSecretValue", amzSignature]) expect(raw).not.toContain(secret);
      expect(sentry.envelopes.every((e) => e.publicKey === new URL(sentry.dsn).username)).toBe(true);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE "uploads_moved_away" RENAME TO "uploads"');
    }
    await waitForLines(sent);
    const line = requestLines().find((l) => l.req_id === "obs-fault-0001");
    expect(line).toMatchObject({ level: 50, status: 500, route: "/api/uploads/initialize/" });
    expect(line!.url).toBe("/api/uploads/initialize/?X-Amz-Signature=[Filtered]&x=1");
  });
});
