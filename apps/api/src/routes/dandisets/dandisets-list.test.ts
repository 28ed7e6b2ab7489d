import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";

const ctx = await createTestContext();
const auth = (token: string) => ({ Authorization: `token ${token}` });
const owner = await buildUser(ctx.prisma, { firstName: "Ann", lastName: "Lee" });

async function make(name: string, metadata: object = {}, query = ""): Promise<string> {
  const res = await request(ctx.app)
    .post(`/api/dandisets/${query}`)
    .set(auth(owner.token))
    .send({ name, metadata })
    .expect(200);
  return res.body.identifier as string;
}

async function publish(id: string, version = "0.240101.1200", metadata: object = { schemaVersion: "0.7.0" }) {
  await ctx.prisma.version.create({
    data: { dandisetId: Number(id), version, name: "published", metadata, status: "Valid", assetCount: 1n, size: 10n },
  });
}

const list = async (query: string, token?: string) => {
  const req = request(ctx.app).get(`/api/dandisets/${query}`);
  return (token ? req.set(auth(token)) : req).expect(200);
};
const ids = (body: { results: { identifier: string }[] }) => body.results.map((r) => r.identifier);

describe("GET /api/dandisets/", () => {
  it("returns DANDI's exact item shape for a bare dandiset", async () => {
    const res = await list("?draft=true&empty=true");
    expect(res.body).toEqual({ count: 0, next: null, previous: null, results: [] });
    const d = await ctx.prisma.dandiset.create({ data: {} });
    const body = (await list("?draft=true&empty=true")).body;
    expect(body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [
        {
          identifier: String(d.id).padStart(6, "0"),
          created: expect.stringMatching(/Z$/),
          modified: expect.stringMatching(/Z$/),
          draft_version: null,
          most_recent_published_version: null,
          contact_person: "",
          embargo_status: "OPEN",
          star_count: 0,
          is_starred: false,
        },
      ],
    });
    await ctx.prisma.dandiset.delete({ where: { id: d.id } });
  });

  it("filters drafts, empties, embargoed and owned dandisets", async () => {
    const draft = await make("Empty draft");
    const populated = await make("Populated draft");
    await ctx.prisma.version.updateMany({
      where: { dandisetId: Number(populated) },
      data: { assetCount: 2n, size: 5n },
    });
    const published = await make("Published");
    await ctx.prisma.version.updateMany({
      where: { dandisetId: Number(published) },
      data: { assetCount: 1n, size: 10n },
    });
    await publish(published);
    const erased = await make("Erased");
    await publish(erased);
    // The newest version of "erased" is the empty draft created after the publish.
    await ctx.prisma.version.updateMany({
      where: { dandisetId: Number(erased), version: "draft" },
      data: { created: new Date(Date.now() + 1000) },
    });
    const embargoed = await make("Hidden", {}, "?embargo=true");

    expect(ids((await list("")).body)).toEqual([draft, populated, published, erased]);
    expect(ids((await list("?draft=false")).body)).toEqual([published, erased]);
    expect(ids((await list("?empty=false")).body)).toEqual([populated, published]);
    const other = await buildUser(ctx.prisma);
    expect(ids((await list("?embargoed=true", other.token)).body)).not.toContain(embargoed);
    expect(ids((await list("?embargoed=true", owner.token)).body)).toContain(embargoed);
    expect(ids((await list("?user=me", other.token)).body)).toEqual([]);
    expect(ids((await list("?user=me&embargoed=true", owner.token)).body)).toEqual([
      draft,
      populated,
      published,
      erased,
      embargoed,
    ]);
    const pub = (await list("?draft=false")).body.results[0];
    expect(pub.most_recent_published_version).toMatchObject({
      version: "0.240101.1200",
      asset_count: 1,
      size: 10,
      status: "Valid",
    });
    expect(pub.contact_person).toBe("");
    expect((await list("")).body.results[0].contact_person).toBe("Lee, Ann");

    const anon401 = await request(ctx.app).get("/api/dandisets/?embargoed=true").expect(401);
    expect(anon401.body).toBe(
      "Authentication credentials must be provided when attempting to access embargoed dandisets",
    );
    expect((await request(ctx.app).get("/api/dandisets/?starred=true").expect(401)).body).toBe(
      "Must be authenticated to filter by starred dandisets.",
    );
    await request(ctx.app).get("/api/dandisets/?user=you").expect(400);

    // Ordering, and DANDI's pagination links.
    expect(ids((await list("?ordering=-id")).body)).toEqual([erased, published, populated, draft]);
    const byName = ids((await list("?ordering=name")).body);
    expect(byName).toHaveLength(4);
    expect(ids((await list("?ordering=-name")).body)).toEqual([...byName].reverse());
    expect(ids((await list("?ordering=-size")).body).slice(0, 2)).toEqual([published, populated]);
    await request(ctx.app).post(`/api/dandisets/${published}/star/`).set(auth(other.token)).expect(200);
    expect(ids((await list("?ordering=-stars")).body)[0]).toBe(published);
    expect(ids((await list("?starred=true", other.token)).body)).toEqual([published]);
    const page = (await list("?page_size=2&ordering=id")).body;
    expect(page.count).toBe(4);
    expect(page.next).toBe(
      "http://127.0.0.1/api/dandisets/?ordering=id&page=2&page_size=2".replace("127.0.0.1", new URL(page.next).host),
    );
  });
});

describe("orderings kept by database triggers", () => {
  it("follow renames, new versions and (un)stars as they happen", async () => {
    const { user: fan, token: fanToken } = await buildUser(ctx.prisma);
    expect(fan.status).toBe("APPROVED");
    const a = await make("Aardvark study");
    const z = await make("Zebra study");
    const order = async (q: string) => ids((await list(q)).body).filter((id) => id === a || id === z);
    expect(await order("?ordering=name")).toEqual([a, z]);

    // Renaming the draft moves it in the name ordering.
    await request(ctx.app)
      .put(`/api/dandisets/${a}/versions/draft/`)
      .set(auth(owner.token))
      .send({ name: "Zzz renamed", metadata: { name: "Zzz renamed" } })
      .expect(200);
    expect(await order("?ordering=name")).toEqual([z, a]);
    // A newer (published) version is the latest one: its name and size count.
    await ctx.prisma.version.create({
      data: {
        dandisetId: Number(z),
        version: "0.240303.1200",
        name: "~ last",
        metadata: { schemaVersion: "0.7.0" },
        size: 10n,
      },
    });
    expect(await order("?ordering=name")).toEqual([a, z]);
    expect(await order("?ordering=-size")).toEqual([z, a]);

    await request(ctx.app).post(`/api/dandisets/${a}/star/`).set(auth(fanToken)).expect(200);
    expect(await order("?ordering=-stars")).toEqual([a, z]);
    await request(ctx.app).delete(`/api/dandisets/${a}/star/`).set(auth(fanToken)).expect(200);
    await request(ctx.app).post(`/api/dandisets/${z}/star/`).set(auth(fanToken)).expect(200);
    expect(await order("?ordering=-stars")).toEqual([z, a]);
  });
});

describe("search", () => {
  it("ANDs words, ignores accents and case, and matches any version once", async () => {
    const a = await make("Neural recordings in the mouse", { description: "By György" });
    const b = await make("Neural data", { description: "rat" });
    await publish(a, "0.240202.1200", { schemaVersion: "0.7.0", description: "neural mouse" });
    expect(ids((await list("?search=neural%20mouse")).body)).toEqual([a]);
    expect(ids((await list("?search=NEURAL")).body)).toEqual(expect.arrayContaining([a, b]));
    expect(ids((await list(`?search=${b}`)).body)).toEqual([b]);
    expect(ids((await list("?search=nothing-matches-this")).body)).toEqual([]);
  });

  it("finds accented text with unaccented words", async () => {
    const c = await make("Accents", { description: "Recorded by Zoltán Buzsáki" });
    expect(ids((await list("?search=Zoltan%20buzsaki")).body)).toEqual([c]);
    expect(ids((await list(`?search=${encodeURIComponent("ZOLTÁN")}`)).body)).toEqual([c]);
  });

  it("answers DANDI's 400s for bad syntax", async () => {
    expect((await request(ctx.app).get("/api/dandisets/?search=%22oops").expect(400)).body).toEqual({
      search:
        "Unbalanced quote in search query. Remove the stray quote, or wrap the intended phrase in matched quotes.",
    });
    expect((await request(ctx.app).get("/api/dandisets/?search=specie:mouse").expect(400)).body).toEqual({
      search:
        'Unknown search operator "specie". Did you mean "species"? Wrap the term in double quotes (e.g. "foo:bar") to search for it as text.',
    });
    expect((await request(ctx.app).get("/api/dandisets/?search=created_after:2024-13-01").expect(400)).body).toEqual({
      search: `Invalid date for "created_after": '2024-13-01'. Use YYYY-MM-DD.`,
    });
    expect((await request(ctx.app).get("/api/dandisets/?search=owner:%22%22").expect(400)).body).toEqual({
      search: 'Operator "owner" requires a value (e.g. owner:something).',
    });
  });

  it("supports operators", async () => {
    const d = await make("Operators", { description: "x" });
    await ctx.prisma
      .$executeRaw`UPDATE versions SET metadata = metadata || '{"assetsSummary": {"species": [{"name": "Mus musculus - House mouse"}]}}'::jsonb WHERE dandiset_id = ${Number(d)}`;
    expect(ids((await list("?search=species:musculus")).body)).toEqual([d]);
    expect(ids((await list("?search=owner:ann%20created_after:2000-01-01")).body)).toContain(d);
    expect(ids((await list("?search=created_before:2000-01-01")).body)).toEqual([]);
  });
});
