import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const staff = await buildUser(ctx.prisma, { isStaff: true });
const normal = await buildUser(ctx.prisma);
const auth = (u: { token: string }) => ({ Authorization: `token ${u.token}` });

const base = Date.parse("2026-01-01T00:00:00Z");
const types = ["add_asset", "update_asset", "remove_asset", "create_dandiset", "add_asset", "add_asset"];
for (const [i, recordType] of types.entries()) {
  await ctx.prisma.auditRecord.create({
    data: {
      timestamp: new Date(base + i * 60_000),
      dandisetId: 1,
      username: "u",
      userEmail: "u@x",
      userFullname: "U",
      recordType,
      details: { path: `f${i}.nwb`, metadata: { big: true } },
    },
  });
}

async function walk(url: string, direction: "next" | "previous" = "next") {
  const seen: string[] = [];
  let next: string | null = url;
  while (next) {
    const u: URL = new URL(next, "http://api.test");
    const res = await request(ctx.app)
      .get(u.pathname + u.search)
      .set(auth(staff))
      .expect(200);
    seen.push(...res.body.results.map((r: { details: { path: string } }) => r.details.path));
    next = res.body[direction];
  }
  return seen;
}

describe("GET /api/audit/events/asset", () => {
  it("is for staff only", async () => {
    await request(ctx.app).get("/api/audit/events/asset").expect(401);
    await request(ctx.app).get("/api/audit/events/asset").set(auth(normal)).expect(403);
  });

  it("pages through asset events in time order with cursors, without metadata", async () => {
    const first = await request(ctx.app).get("/api/audit/events/asset?page_size=2").set(auth(staff)).expect(200);
    expect(first.body.previous).toBeNull();
    expect(first.body.results[0]).toEqual({
      id: expect.any(Number),
      dandiset_id: 1,
      timestamp: "2026-01-01T00:00:00Z",
      record_type: "add_asset",
      details: { path: "f0.nwb" },
    });
    expect(await walk("/api/audit/events/asset?page_size=2")).toEqual([
      "f0.nwb",
      "f1.nwb",
      "f2.nwb",
      "f4.nwb",
      "f5.nwb",
    ]);
  });

  it("walks back with previous links", async () => {
    const p1 = await request(ctx.app).get("/api/audit/events/asset?page_size=2").set(auth(staff)).expect(200);
    const u = new URL(p1.body.next);
    const p2 = await request(ctx.app)
      .get(u.pathname + u.search)
      .set(auth(staff))
      .expect(200);
    expect(p2.body.results.map((r: { details: { path: string } }) => r.details.path)).toEqual(["f2.nwb", "f4.nwb"]);
    const back = new URL(p2.body.previous);
    const again = await request(ctx.app)
      .get(back.pathname + back.search)
      .set(auth(staff))
      .expect(200);
    expect(again.body.results.map((r: { details: { path: string } }) => r.details.path)).toEqual(["f0.nwb", "f1.nwb"]);
    expect(again.body.previous).toBeNull();
  });

  it("reverses and filters by time", async () => {
    expect(await walk("/api/audit/events/asset?page_size=2&reverse_order=true")).toEqual([
      "f5.nwb",
      "f4.nwb",
      "f2.nwb",
      "f1.nwb",
      "f0.nwb",
    ]);
    const filtered = await walk("/api/audit/events/asset?after=2026-01-01T00:01:00Z&before=2026-01-01T00:04:00Z");
    expect(filtered).toEqual(["f1.nwb", "f2.nwb", "f4.nwb"]);
  });
});
