import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildUser } from "@dandi/testing";
import type { EmbargoStatus } from "@dandi/db";
import { createTestContext } from "../../../test/context";
import { seedBlob, seedDandiset } from "../assets/assets.fixtures";

const ctx = await createTestContext();
const auth = (token: string) => ({ Authorization: `token ${token}` });
const owner = await buildUser(ctx.prisma);
const stranger = await buildUser(ctx.prisma);
const admin = await buildUser(ctx.prisma, { isSuperuser: true });

interface TAssetSpec {
  path: string;
  format?: string;
  species?: string;
  genotype?: string;
  techniques?: string[];
  size?: number;
}

/** An asset with its blob, linked to `versionId` (the triggers fill asset_search). */
async function addAsset(versionId: number, spec: TAssetSpec) {
  const blob = await seedBlob(ctx.prisma, { size: spec.size ?? 100 });
  const metadata: Record<string, unknown> = { path: spec.path };
  if (spec.format) metadata.encodingFormat = spec.format;
  if (spec.species || spec.genotype) {
    metadata.wasAttributedTo = [
      {
        schemaKey: "Participant",
        ...(spec.species ? { species: { name: spec.species } } : {}),
        ...(spec.genotype ? { genotype: spec.genotype } : {}),
      },
    ];
  }
  if (spec.techniques) metadata.measurementTechnique = spec.techniques.map((name) => ({ name }));
  const asset = await ctx.prisma.asset.create({
    data: { assetId: randomUUID(), path: spec.path, blobId: blob.id, metadata: metadata as object },
  });
  await ctx.prisma.versionAsset.create({
    data: { versionId, assetId: asset.id, path: spec.path, created: asset.created },
  });
  return asset;
}

async function makeDandiset(assets: TAssetSpec[], embargoStatus: EmbargoStatus = "OPEN") {
  const seeded = await seedDandiset(ctx.prisma, { ownerId: owner.user.id, embargoStatus });
  const rows = [];
  for (const spec of assets) rows.push(await addAsset(seeded.draft.id, spec));
  return { ...seeded, assets: rows };
}

const search = (query: string, token?: string) => {
  const req = request(ctx.app).get(`/api/dandisets/search/${query}`);
  return token ? req.set(auth(token)) : req;
};
const ids = (body: { results: { identifier: string }[] }) => body.results.map((r) => r.identifier);
const countsOf = (body: { results: { identifier: string; asset_counts: object }[] }) =>
  Object.fromEntries(body.results.map((r) => [r.identifier, r.asset_counts]));

// Species names are unique per test so that the tests of this file (one database) do not see each other's data.
const mouse = "Mus musculus";
const rat = "Rattus norvegicus";
const main = await makeDandiset([
  { path: "sub-1/a.nwb", format: "application/x-nwb", species: mouse, genotype: "Cre+", size: 1000 },
  { path: "sub-1/b.nwb", format: "application/x-nwb", species: mouse, genotype: "wild type", size: 5000 },
  { path: "sub-2/c.png", format: "Image/PNG", species: rat, size: 20, techniques: ["spike sorting technique"] },
  { path: "notes.txt", format: "text/plain", size: 7 },
]);
const other = await makeDandiset([{ path: "x.mp4", format: "video/mp4", species: rat, size: 3000 }]);
const empty = await makeDandiset([]);

describe("GET /api/dandisets/search/", () => {
  it("answers DANDI's DandisetList items with asset_counts per filter in use", async () => {
    const res = await search(`?species=${encodeURIComponent(mouse)}`).expect(200);
    expect(res.body).toEqual({
      count: 1,
      next: null,
      previous: null,
      results: [
        {
          identifier: main.id,
          created: expect.stringMatching(/Z$/),
          modified: expect.stringMatching(/Z$/),
          contact_person: "",
          embargo_status: "OPEN",
          star_count: 0,
          is_starred: false,
          most_recent_published_version: null,
          draft_version: expect.objectContaining({ version: "draft", name: "Test" }),
          asset_counts: { species: 2 },
        },
      ],
    });
  });

  it("without filters lists the dandisets that have assets, with empty asset_counts", async () => {
    const res = await search("").expect(200);
    expect(ids(res.body)).toContain(main.id);
    expect(ids(res.body)).toContain(other.id);
    expect(ids(res.body)).not.toContain(empty.id);
    expect(res.body.results[0].asset_counts).toEqual({});
  });

  it("ORs the values of one filter and ANDs filters on the same asset", async () => {
    const both = await search("?file_type=image/&file_type=video/").expect(200);
    expect(ids(both.body)).toEqual([main.id, other.id]);
    expect(countsOf(both.body)).toEqual({ [main.id]: { file_type: 1 }, [other.id]: { file_type: 1 } });

    // main has an NWB file and a rat, but no NWB file of a rat.
    const sameAsset = await search(`?file_type=application/x-nwb&species=${encodeURIComponent(rat)}`).expect(200);
    expect(ids(sameAsset.body)).toEqual([]);

    const res = await search(
      `?file_type=application/x-nwb&species=${encodeURIComponent(mouse)}&genotype=Cre%2B`,
    ).expect(200);
    expect(countsOf(res.body)).toEqual({ [main.id]: { file_type: 2, species: 2, genotype: 1 } });
  });

  it("filters on blob size (a bound of 0 is no bound, as in DANDI) and measurement technique", async () => {
    const sized = await search("?file_size_min=1000&file_size_max=3000").expect(200);
    expect(countsOf(sized.body)).toEqual({ [main.id]: { file_size: 1 }, [other.id]: { file_size: 1 } });
    const small = await search("?file_size_min=0&file_size_max=10").expect(200);
    expect(countsOf(small.body)).toEqual({ [main.id]: { file_size: 1 } });
    const zero = await search("?file_size_max=0").expect(200);
    expect(zero.body.results[0].asset_counts).toEqual({});
    const technique = await search("?measurement_technique=spike%20sorting%20technique").expect(200);
    expect(countsOf(technique.body)).toEqual({ [main.id]: { measurement_technique: 1 } });
  });

  it("applies the list parameters too (search, ordering, pagination)", async () => {
    const page1 = await search("?file_type=image/&file_type=video/&page_size=1&ordering=-id").expect(200);
    expect(ids(page1.body)).toEqual([other.id]);
    expect(page1.body.count).toBe(2);
    expect(page1.body.next).toBe(
      "http://127.0.0.1/api/dandisets/search/?file_type=image%2F&file_type=video%2F&ordering=-id&page=2&page_size=1".replace(
        "127.0.0.1",
        new URL(page1.body.next).host,
      ),
    );
    await search("?file_type=image/&page=5").expect(404, { detail: "Invalid page." });
    const bad = await search("?search=%22unbalanced").expect(400);
    expect(Object.keys(bad.body)).toEqual(["search"]);
    const other2 = await makeDandiset([{ path: "y.png", format: "image/png", species: rat }]);
    await ctx.prisma.dandisetOwner.updateMany({
      where: { dandisetId: other2.dandiset.id },
      data: { userId: admin.user.id },
    });
    const mine = await search(`?search=owner:${admin.user.email}&species=${encodeURIComponent(rat)}`).expect(200);
    expect(ids(mine.body)).toEqual([other2.id]);
    await ctx.prisma.dandiset.delete({ where: { id: other2.dandiset.id } });
  });

  it("answers a slash-less request with a 301 that keeps the query", async () => {
    const res = await request(ctx.app).get("/api/dandisets/search?file_type=image/").expect(301);
    expect(res.headers.location).toMatch(/\/api\/dandisets\/search\/\?file_type=image\/$/);
  });

  it("answers DRF's 400s for bad parameters, all field errors in one body", async () => {
    const res = await search(
      "?file_type=audio/&file_size_min=-1&file_size_max=abc&measurement_technique=magic&genotype=%20&species=Unicorn",
    ).expect(400);
    expect(res.body).toEqual({
      file_type: ['"audio/" is not a valid choice.'],
      file_size_min: ["Ensure this value is greater than or equal to 0."],
      file_size_max: ["A valid integer is required."],
      measurement_technique: ['"magic" is not a valid choice.'],
      genotype: { "0": ["This field may not be blank."] },
      species: ['"Unicorn" is not a valid choice.'],
    });
    await search("?file_size_min=10&file_size_max=5").expect(400, {
      non_field_errors: ["file_size_max must be greater than file_size_min"],
    });
    await search("?file_size_min=99999999999999999999").expect(400, {
      file_size_min: ["Ensure this value is less than or equal to 9223372036854775807."],
    });
    await search("?draft=maybe").expect(400, { draft: ["Must be a valid boolean."] });
  });

  it("shows embargoed dandisets only to their owners and admins, and only with embargoed=true", async () => {
    const species = "Macaca mulatta";
    const hidden = await makeDandiset([{ path: "a.nwb", format: "application/x-nwb", species }], "EMBARGOED");
    // An embargoed-only species is no valid choice for someone who cannot see it.
    await search(`?species=${encodeURIComponent(species)}`).expect(400);
    await search(`?species=${encodeURIComponent(species)}`, stranger.token).expect(400);
    await search(`?species=${encodeURIComponent(species)}&embargoed=true`).expect(401);
    const strangerView = await search(`?file_type=application/x-nwb&embargoed=true`, stranger.token).expect(200);
    expect(ids(strangerView.body)).not.toContain(hidden.id);
    // Like the list, the default embargoed=false leaves them out even for the owner.
    const ownerDefault = await search(`?species=${encodeURIComponent(species)}`, owner.token).expect(200);
    expect(ids(ownerDefault.body)).toEqual([]);
    for (const token of [owner.token, admin.token]) {
      const res = await search(`?species=${encodeURIComponent(species)}&embargoed=true`, token).expect(200);
      expect(countsOf(res.body)).toEqual({ [hidden.id]: { species: 1 } });
    }
    await ctx.prisma.dandiset.delete({ where: { id: hidden.dandiset.id } });
  });

  it("follows asset writes at once: removal, publish copies and metadata rewrites", async () => {
    const species = "Danio rerio";
    const d = await makeDandiset([
      { path: "a.nwb", format: "application/x-nwb", species },
      { path: "b.nwb", format: "application/x-nwb", species },
    ]);
    const q = `?species=${encodeURIComponent(species)}`;
    // A published version sharing the assets counts each asset once.
    const published = await ctx.prisma.version.create({
      data: { dandisetId: d.dandiset.id, version: "0.240101.1200", name: "Test", metadata: {} },
    });
    await ctx.prisma.$executeRaw`
      INSERT INTO version_assets (version_id, asset_id, path, created)
      SELECT ${published.id}, asset_id, path, created FROM version_assets WHERE version_id = ${d.draft.id}`;
    expect(countsOf((await search(q).expect(200)).body)).toEqual({ [d.id]: { species: 2 } });
    // Removed from the draft but still in the published version: still found.
    await ctx.prisma.versionAsset.deleteMany({ where: { versionId: d.draft.id, assetId: d.assets[0]!.id } });
    expect(countsOf((await search(q).expect(200)).body)).toEqual({ [d.id]: { species: 2 } });
    await ctx.prisma.versionAsset.deleteMany({ where: { versionId: published.id, assetId: d.assets[0]!.id } });
    expect(countsOf((await search(q).expect(200)).body)).toEqual({ [d.id]: { species: 1 } });
    // A metadata rewrite in place (publishing freezes metadata) moves the asset.
    await ctx.prisma.asset.update({
      where: { id: d.assets[1]!.id },
      data: { metadata: { encodingFormat: "video/mp4", wasAttributedTo: [{ species: { name: species } }] } },
    });
    const moved = await search(`${q}&file_type=video/`).expect(200);
    expect(countsOf(moved.body)).toEqual({ [d.id]: { species: 1, file_type: 1 } });
    await ctx.prisma.dandiset.delete({ where: { id: d.dandiset.id } });
    await search(q).expect(400);
  });
});

describe("GET /api/search/genotypes/ and /api/search/species/", () => {
  it("lists distinct visible genotypes containing the query, at most 10", async () => {
    const res = await request(ctx.app).get("/api/search/genotypes/").expect(200);
    expect(res.body).toEqual(["Cre+", "wild type"]);
    await request(ctx.app).get("/api/search/genotypes/?genotype=WILD").expect(200, ["wild type"]);
    await request(ctx.app).get("/api/search/genotypes/?genotype=%25").expect(200, []);
    const many = await makeDandiset(
      Array.from({ length: 12 }, (_, i) => ({ path: `g${i}.nwb`, genotype: `gt-${String(i).padStart(2, "0")}` })),
    );
    const capped = await request(ctx.app).get("/api/search/genotypes/?genotype=gt-").expect(200);
    expect(capped.body).toEqual(Array.from({ length: 10 }, (_, i) => `gt-${String(i).padStart(2, "0")}`));
    await ctx.prisma.dandiset.delete({ where: { id: many.dandiset.id } });
  });

  it("paginates distinct visible species; embargoed ones only for owners", async () => {
    const species = "Callithrix jacchus";
    const hidden = await makeDandiset([{ path: "a.nwb", species }], "EMBARGOED");
    const anonymous = await request(ctx.app).get("/api/search/species/").expect(200);
    expect(anonymous.body).toEqual({ count: 2, next: null, previous: null, results: [mouse, rat] });
    const mine = await request(ctx.app).get("/api/search/species/").set(auth(owner.token)).expect(200);
    expect(mine.body.results).toEqual([species, mouse, rat]);
    const strangers = await request(ctx.app).get("/api/search/species/").set(auth(stranger.token)).expect(200);
    expect(strangers.body.results).toEqual([mouse, rat]);
    const paged = await request(ctx.app).get("/api/search/species/?species=US&page_size=1").expect(200);
    expect(paged.body).toEqual({
      count: 2,
      next: expect.stringContaining("page=2"),
      previous: null,
      results: [mouse],
    });
    await ctx.prisma.dandiset.delete({ where: { id: hidden.dandiset.id } });
  });
});
