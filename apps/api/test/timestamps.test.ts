import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "./context";
import { seedDraftWithAssets } from "../src/routes/assets/assets.fixtures";

/**
 * Every timestamp the API sends is DRF's DateTimeField output (Python's
 * isoformat() with "+00:00" written "Z"): six fractional digits when the
 * microseconds are non-zero, none for a whole second; and it is the value
 * PostgreSQL stores, to the microsecond (a JS Date keeps milliseconds only).
 */
const ctx = await createTestContext();
const { prisma } = ctx;

/** DRF's rendering of a stored value given as "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC). */
function drf(stored: string): string {
  const [date, time] = stored.split(" ");
  const [seconds, fraction = ""] = time!.split(".");
  const micros = fraction.padEnd(6, "0");
  return `${date}T${seconds}${micros === "000000" ? "" : `.${micros}`}Z`;
}

/** The keys that carry a DRF timestamp in DANDI's responses (metadata documents keep their own camelCase keys). */
const TIMESTAMP_KEY = /^(created|modified|timestamp|date_joined|last_login)$|_(date|at)$/;

/** Every timestamp-named field in a JSON document, as [path, value]. */
function timestampFields(value: unknown, path = "$"): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => timestampFields(v, `${path}[${i}]`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => {
    if (k === "metadata") return [];
    const here: [string, unknown][] = TIMESTAMP_KEY.test(k) && v !== null ? [[`${path}.${k}`, v]] : [];
    return [...here, ...timestampFields(v, `${path}.${k}`)];
  });
}

// Each stored value is distinct, so a field that shows the wrong row's value fails too.
const STORED = {
  dandisetCreated: "2026-12-01 20:04:41.698531",
  dandisetModified: "2026-12-01 20:05:00",
  draftCreated: "2026-12-01 20:06:07.000500",
  draftModified: "2026-12-01 20:07:08.120000",
  publishedCreated: "2026-12-01 20:08:09.000001",
  publishedModified: "2026-12-01 20:09:10",
  assetACreated: "2026-12-01 20:10:11.999999",
  assetAModified: "2026-12-01 20:11:12",
  assetBCreated: "2026-12-01 20:12:13",
  assetBModified: "2026-12-01 20:13:14.250001",
  uploadCreated: "2026-12-01 20:14:15.654321",
  userJoined: "2026-12-01 20:15:16.111111",
  userLogin: "2026-12-01 20:16:17",
  auditTimestamp: "2026-12-01 20:17:18.000010",
};
const EXPECTED = new Set(Object.values(STORED).map(drf));
const DRF_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/;

let admin: { token: string; user: { id: number; username: string } };
let ds: Awaited<ReturnType<typeof seedDraftWithAssets>>;
const auth = () => ({ Authorization: `token ${admin.token}` });
const get = (url: string) => request(ctx.app).get(url).set(auth()).expect(200);

beforeAll(async () => {
  admin = await buildUser(prisma, { isSuperuser: true, isStaff: true });
  ds = await seedDraftWithAssets(ctx.app, prisma, admin, ["a.txt", "b.txt"]);
  const published = await prisma.version.create({
    data: { dandisetId: ds.dandiset.id, version: "0.261201.2008", name: "Test", metadata: { schemaVersion: "0.7.0" } },
  });
  const upload = randomUUID();
  await prisma.upload.create({
    data: {
      uploadId: upload,
      key: `blobs/${upload}`,
      etag: "0123456789abcdef0123456789abcdef-1",
      size: 10n,
      multipartUploadId: `mpu-${upload}`,
      dandisetId: ds.dandiset.id,
    },
  });
  const ts = (s: string) => `${s}+00`;
  const a = ds.assets["a.txt"]!;
  const b = ds.assets["b.txt"]!;
  await prisma.$executeRaw`UPDATE dandisets SET created = ${ts(STORED.dandisetCreated)}::timestamptz,
    modified = ${ts(STORED.dandisetModified)}::timestamptz WHERE id = ${ds.dandiset.id}`;
  await prisma.$executeRaw`UPDATE versions SET created = ${ts(STORED.draftCreated)}::timestamptz,
    modified = ${ts(STORED.draftModified)}::timestamptz WHERE id = ${ds.draft.id}`;
  await prisma.$executeRaw`UPDATE versions SET created = ${ts(STORED.publishedCreated)}::timestamptz,
    modified = ${ts(STORED.publishedModified)}::timestamptz WHERE id = ${published.id}`;
  await prisma.$executeRaw`UPDATE assets SET created = ${ts(STORED.assetACreated)}::timestamptz,
    modified = ${ts(STORED.assetAModified)}::timestamptz WHERE asset_id = ${a}::uuid`;
  await prisma.$executeRaw`UPDATE assets SET created = ${ts(STORED.assetBCreated)}::timestamptz,
    modified = ${ts(STORED.assetBModified)}::timestamptz WHERE asset_id = ${b}::uuid`;
  await prisma.$executeRaw`UPDATE uploads SET created = ${ts(STORED.uploadCreated)}::timestamptz`;
  await prisma.$executeRaw`UPDATE users SET date_joined = ${ts(STORED.userJoined)}::timestamptz,
    last_login = ${ts(STORED.userLogin)}::timestamptz`;
  await prisma.$executeRaw`UPDATE audit_records SET timestamp = ${ts(STORED.auditTimestamp)}::timestamptz`;
});

describe("timestamps on the wire", () => {
  it("are DRF's rendering of the stored microseconds on every endpoint that sends one", async () => {
    const { id } = ds;
    const a = ds.assets["a.txt"]!;
    const base = `/api/dandisets/${id}/versions/draft`;
    const urls = [
      "/api/dandisets/",
      "/api/dandisets/?ordering=-modified",
      "/api/dandisets/?user=me",
      "/api/dandisets/search/",
      `/api/dandisets/${id}/`,
      `/api/dandisets/${id}/versions/`,
      `/api/dandisets/${id}/versions/?order=-created`,
      `${base}/info/`,
      `${base}/assets/`,
      `${base}/assets/?metadata=true&order=-modified`,
      `${base}/assets/${a}/info/`,
      `/api/assets/${a}/info/`,
      `/api/dandisets/${id}/uploads/`,
      `/api/webdav/assets/atpath/?dandiset_id=${id}&version_id=draft&path=a.txt`,
      `/api/webdav/assets/atpath/?dandiset_id=${id}&version_id=draft&children=true`,
      "/api/admin/users/",
      "/api/admin/audit/",
      "/api/audit/events/asset",
    ];
    const seen = new Map<string, unknown>();
    for (const url of urls) {
      const fields = timestampFields((await get(url)).body);
      expect(fields.length, `${url} sends timestamps`).toBeGreaterThan(0);
      for (const [path, value] of fields) seen.set(`${url} ${path}`, value);
    }
    const wrong = [...seen].filter(([, v]) => typeof v !== "string" || !DRF_FORMAT.test(v) || !EXPECTED.has(v));
    expect(wrong).toEqual([]);
    // Every stored value (microseconds, sub-millisecond ones, whole seconds) came back at least once.
    expect(new Set(seen.values())).toEqual(EXPECTED);
  });

  it("puts each row's own value in each field", async () => {
    const { id } = ds;
    const detail = (await get(`/api/dandisets/${id}/`)).body;
    expect(detail).toMatchObject({
      created: "2026-12-01T20:04:41.698531Z",
      modified: "2026-12-01T20:05:00Z",
      draft_version: { created: "2026-12-01T20:06:07.000500Z", modified: "2026-12-01T20:07:08.120000Z" },
      most_recent_published_version: {
        created: "2026-12-01T20:08:09.000001Z",
        modified: "2026-12-01T20:09:10Z",
      },
    });
    const list = (await get("/api/dandisets/")).body.results[0];
    expect(list).toMatchObject({
      created: detail.created,
      modified: detail.modified,
      draft_version: { created: detail.draft_version.created, modified: detail.draft_version.modified },
    });
    const assets = (await get(`/api/dandisets/${id}/versions/draft/assets/?order=path`)).body.results;
    expect(assets.map((x: { created: string; modified: string }) => [x.created, x.modified])).toEqual([
      ["2026-12-01T20:10:11.999999Z", "2026-12-01T20:11:12Z"],
      ["2026-12-01T20:12:13Z", "2026-12-01T20:13:14.250001Z"],
    ]);
    const uploads = (await get(`/api/dandisets/${id}/uploads/`)).body.results;
    expect(uploads[0].created).toBe("2026-12-01T20:14:15.654321Z");
    const users = (await get("/api/admin/users/")).body.results;
    expect(users[0]).toMatchObject({ date_joined: "2026-12-01T20:15:16.111111Z", last_login: "2026-12-01T20:16:17Z" });
  });

  it("keeps the audit feed's cursor exact across records that differ by microseconds", async () => {
    // The two asset records: a whole second and one microsecond later.
    await prisma.$executeRaw`UPDATE audit_records SET timestamp = ${"2026-12-01 20:17:18+00"}::timestamptz
      + (SELECT count(*) FROM audit_records o WHERE o.id < audit_records.id AND o.record_type = 'add_asset')
        * interval '1 microsecond' WHERE record_type = 'add_asset'`;
    const first = (await get("/api/audit/events/asset?page_size=1")).body;
    expect(first.results[0].timestamp).toBe("2026-12-01T20:17:18Z");
    const next = (await get(new URL(first.next).pathname + new URL(first.next).search)).body;
    expect(next.results.map((r: { timestamp: string }) => r.timestamp)).toEqual(["2026-12-01T20:17:18.000001Z"]);
    expect(next.next).toBeNull();
  });
});

describe("timestamps the API writes", () => {
  it("carry the database's microseconds, read back exactly", async () => {
    const created = (
      await request(ctx.app).post("/api/dandisets/").set(auth()).send({ name: "Fresh", metadata: {} }).expect(200)
    ).body;
    const [row] = await prisma.$queryRaw<{ created: string; modified: string; draft: string; metadata: unknown }[]>`
      SELECT to_char(d.created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS created,
             to_char(d.modified AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS modified,
             to_char(v.created AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS draft, v.metadata
      FROM dandisets d JOIN versions v ON v.dandiset_id = d.id AND v.version = 'draft'
      WHERE d.id = ${Number(created.identifier)}`;
    // A JS Date would have written milliseconds only (the last three digits 000).
    expect([row!.created, row!.modified, row!.draft].some((s) => !s.endsWith("000"))).toBe(true);
    expect(created.created).toBe(drf(row!.created));
    expect(created.modified).toBe(drf(row!.modified));
    expect(created.draft_version.created).toBe(drf(row!.draft));
    const detail = (await get(`/api/dandisets/${created.identifier}/`)).body;
    expect([detail.created, detail.modified]).toEqual([created.created, created.modified]);
    // dateCreated inside the metadata is Python's isoformat() of the same instant.
    const metadata = row!.metadata as { dateCreated: string };
    expect(metadata.dateCreated).toBe(created.created.replace(/Z$/, "+00:00"));
  });
});
