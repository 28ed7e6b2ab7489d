import { describe, expect, it } from "vitest";
import request from "supertest";
import { buildSearchFilter, loadDandisetViews, parseSearchQuery, resolveSearchWords } from "@dandi/core";
import { Prisma } from "@dandi/db";
import { buildUser } from "@dandi/testing";
import { createTestContext } from "../../../test/context";
import { presentDandisetListItem } from "./dandisets.presenter";

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

/** The page the JS presenter would write for `ids`, serialised as the app serialises JSON. */
async function presentedPage(idsInOrder: number[], userId: number | undefined) {
  const views = await loadDandisetViews(ctx.prisma, { ids: idsInOrder, userId, published: "max-id" });
  const page = { count: idsInOrder.length, next: null, previous: null, results: views.map(presentDandisetListItem) };
  return JSON.stringify(page, (_key, value: unknown) => (typeof value === "bigint" ? Number(value) : value));
}

describe("the page rendered in SQL", () => {
  it("is byte for byte what the JS presenter writes, escapes included", async () => {
    const { user: caller, token } = await buildUser(ctx.prisma);
    const tricky = 'Quote " back\\slash \n line \t tab \u0001 ctrl \u2028 sep émoji 🧠 </script>';
    const a = await make("Rendered one", { description: "wordrendered" });
    const b = await make("Rendered two", { description: "wordrendered" }, "?embargo=true");
    await ctx.prisma.dandisetOwner.create({ data: { dandisetId: Number(b), userId: caller.id } });
    await ctx.prisma.version.updateMany({ where: { dandisetId: Number(a) }, data: { name: tricky, size: 2n ** 40n } });
    await ctx.prisma.$executeRaw`UPDATE versions SET metadata = metadata || ${JSON.stringify({
      contributor: [{ name: 'O"Brien, \\ Ann', roleName: ["dcite:ContactPerson"] }],
    })}::jsonb WHERE dandiset_id = ${Number(b)}`;
    // Two published versions: the list shows the one with the highest id.
    await publish(a, "0.240101.1200", { schemaVersion: "0.7.0", description: "wordrendered" });
    await publish(a, "0.230101.1200", { schemaVersion: "0.7.0", description: "wordrendered" });
    await request(ctx.app).post(`/api/dandisets/${a}/star/`).set(auth(token)).expect(200);
    // Microseconds, which the API keeps (DRF's format); the SQL page and the presenter agree on them.
    await ctx.prisma.$executeRaw`UPDATE dandisets SET modified = '2024-01-02T03:04:05.678999Z' WHERE id = ${Number(a)}`;
    await ctx.prisma
      .$executeRaw`UPDATE versions SET created = '2024-01-02T03:04:05.000999Z' WHERE dandiset_id = ${Number(b)}`;
    // A seven-digit identifier is not cut to six.
    const big = await ctx.prisma.dandiset.create({ data: { id: 1234567 } });
    await ctx.prisma.version.create({
      data: { dandisetId: big.id, version: "draft", name: "Big", metadata: { description: "wordrendered" } },
    });

    const expected = [Number(a), Number(b), big.id];
    const res = await list("?search=wordrendered&embargoed=true&ordering=id", token);
    expect(res.text).toBe(await presentedPage(expected, caller.id));
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.body.results[0]).toMatchObject({
      is_starred: true,
      star_count: 1,
      most_recent_published_version: { version: "0.230101.1200" },
    });
    expect(res.body.results[1].contact_person).toBe('O"Brien, \\ Ann');
    expect(res.body.results[0].modified).toBe("2024-01-02T03:04:05.678999Z");
    expect(res.body.results[2].identifier).toBe("1234567");
    // Anonymous: no embargoed dandiset, nothing starred; the same bytes as the presenter.
    const anonymous = await list("?search=wordrendered&ordering=id");
    expect(anonymous.text).toBe(await presentedPage([Number(a), big.id], undefined));
    // Without a search (count and page in one statement), and past the last item.
    expect(ids((await list("?ordering=-id&page_size=2", token)).body)).toEqual(["1234567", a]);
    const withEmbargoed = (await list("?ordering=-id&page_size=2&embargoed=true", token)).body;
    expect(ids(withEmbargoed)).toEqual(["1234567", b]);
    expect(withEmbargoed.next).toMatch(/page=2&page_size=2$/);
    await request(ctx.app).get("/api/dandisets/?page=1000").expect(404);
    await ctx.prisma.dandiset.delete({ where: { id: big.id } });
  });
});

describe("search plans", () => {
  const fold = () => ctx.prisma.$queryRaw`SELECT dandi_fold_search_bitmaps()`;
  /** The dandiset ids each way of answering the free text finds, in id order. */
  const answers = async (q: string) => {
    const parsed = parseSearchQuery(q);
    const words = await resolveSearchWords(ctx.prisma, parsed.freeText);
    const run = async (conditions: Prisma.Sql[]) =>
      (
        await ctx.prisma.$queryRaw<{ id: number }[]>`SELECT d.id FROM dandisets d WHERE ${Prisma.join(
          conditions,
          " AND ",
        )} ORDER BY d.id`
      ).map((r) => r.id);
    return {
      inline: await run(buildSearchFilter(parsed)),
      lookup: await run(buildSearchFilter(parsed, { words, freeText: "lookup" })),
      bitmap: await run(buildSearchFilter(parsed, { words, freeText: "bitmap" })),
    };
  };
  /** What a plain substring search of every version's search text finds (no tokens involved). */
  const truth = async (...wordsAnded: string[]) =>
    (
      await ctx.prisma.$queryRaw<{ id: number }[]>`SELECT d.id FROM dandisets d WHERE ${Prisma.join(
        wordsAnded.map(
          (w) =>
            Prisma.sql`EXISTS (SELECT 1 FROM versions v WHERE v.dandiset_id = d.id AND v.search_text LIKE ${`%${w}%`})`,
        ),
        " AND ",
      )} ORDER BY d.id`
    ).map((r) => r.id);
  /** Bitmaps that disagree with the postings (there must be none after a fold). */
  const wrongBitmaps = async () => {
    const [row] = await ctx.prisma.$queryRaw<{ wrong: bigint }[]>`
      SELECT count(*) AS wrong FROM search_token_stats st
      WHERE st.bitmap IS NOT NULL AND (
        bit_count(st.bitmap) <> (SELECT count(*) FROM dandiset_search_tokens p WHERE p.token_id = st.token_id)
        OR EXISTS (SELECT 1 FROM dandiset_search_tokens p WHERE p.token_id = st.token_id
                   AND (p.dandiset_id >= length(st.bitmap) OR get_bit(st.bitmap, p.dandiset_id) = 0)))`;
    return Number(row!.wrong);
  };

  it("run with JIT off, so a stale row estimate cannot add LLVM compilation to a list query", async () => {
    expect(await ctx.prisma.$queryRaw`SHOW jit`).toEqual([{ jit: "off" }]);
  });

  it("looking matches up, testing bitmaps and the inline lookup find the same dandisets", async () => {
    for (const q of ["neural", "neural mouse", "NEURAL zoltan", "rendered", "nothingmatches", "ordered"]) {
      const { inline, lookup, bitmap } = await answers(q);
      expect(lookup, q).toEqual(inline);
      expect(bitmap, q).toEqual(inline);
    }
    expect((await answers("neural")).bitmap.length).toBeGreaterThan(1);
  });

  it("keeps bitmap answers exact through edits, deletes and new ids, folded or not", async () => {
    // 300 dandisets: all have alphaword, every 3rd betaword (df 100: a bitmap),
    // every 5th gammaword (df 60: below dandi_search_bitmap_min_df, postings only).
    const [row] = await ctx.prisma.$queryRaw<{ made: number[] }[]>`
      WITH made AS (INSERT INTO dandisets (embargo_status) SELECT 'OPEN' FROM generate_series(1, 300) RETURNING id),
      numbered AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM made),
      drafts AS (
        INSERT INTO versions (dandiset_id, version, name, metadata)
        SELECT id, 'draft', 'Bitmaps', jsonb_build_object('description', concat_ws(' ', 'alphaword',
          CASE WHEN n % 3 = 0 THEN 'betaword' END, CASE WHEN n % 5 = 0 THEN 'gammaword' END)) FROM numbered)
      SELECT array_agg(id ORDER BY id) AS made FROM made`;
    const made = row!.made;
    const queries: [string, string[]][] = [
      ["alphaword", ["alphaword"]],
      ["betaword", ["betaword"]],
      ["betaword gammaword", ["betaword", "gammaword"]],
      ["gammaword", ["gammaword"]],
      ["betaword nothingmatches", ["betaword", "nothingmatches"]],
    ];
    const check = async (when: string) => {
      for (const [q, words] of queries) {
        const expected = await truth(...words);
        const { inline, lookup, bitmap } = await answers(q);
        expect(inline, `${q} (${when}, inline)`).toEqual(expected);
        expect(lookup, `${q} (${when}, lookup)`).toEqual(expected);
        expect(bitmap, `${q} (${when}, bitmap)`).toEqual(expected);
      }
    };
    await check("before any fold");
    await fold();
    const bitmapOf = async (token: string) =>
      (
        await ctx.prisma.$queryRaw<{ df: number; bits: number | null }[]>`
          SELECT s.df, length(s.bitmap) AS bits
          FROM search_tokens t JOIN search_token_stats s ON s.token_id = t.id WHERE t.token = ${token}`
      )[0];
    expect(await bitmapOf("betaword")).toEqual({ df: 100, bits: expect.any(Number) });
    expect(await bitmapOf("gammaword")).toEqual({ df: 60, bits: null });
    expect(await wrongBitmaps()).toBe(0);
    await check("folded");

    // Edits not folded yet: betaword moves from the first 30 holders to 30 others,
    // one holder is deleted, and a dandiset far beyond the bitmaps' length gets it.
    const holders = made.filter((_, i) => (i + 1) % 3 === 0);
    const others = made.filter((_, i) => (i + 1) % 3 !== 0);
    await ctx.prisma.$executeRaw`UPDATE versions SET metadata = '{"description": "alphaword"}'::jsonb
      WHERE dandiset_id = ANY(${holders.slice(0, 30)})`;
    await ctx.prisma.$executeRaw`UPDATE versions SET metadata = '{"description": "alphaword betaword"}'::jsonb
      WHERE dandiset_id = ANY(${others.slice(0, 30)})`;
    await ctx.prisma.dandiset.delete({ where: { id: holders[40]! } });
    const far = (await bitmapOf("betaword"))!.bits! + 5000;
    await ctx.prisma.$executeRaw`INSERT INTO dandisets (id, embargo_status) VALUES (${far}, 'OPEN')`;
    await ctx.prisma.$executeRaw`INSERT INTO versions (dandiset_id, version, name, metadata)
      VALUES (${far}, 'draft', 'Far', '{"description": "betaword"}'::jsonb)`;
    const dirty = await ctx.prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(DISTINCT dandiset_id) AS n FROM search_bitmap_dirty`;
    expect(Number(dirty[0]!.n)).toBeGreaterThanOrEqual(62);
    expect(await truth("betaword")).toContain(far);
    await check("edited, not folded");

    await fold();
    expect(await ctx.prisma.$queryRaw`SELECT count(*)::int AS n FROM search_bitmap_dirty`).toEqual([{ n: 0 }]);
    expect((await bitmapOf("betaword"))!.bits).toBeGreaterThan(far);
    expect(await wrongBitmaps()).toBe(0);
    await check("folded again");
    await ctx.prisma.dandiset.deleteMany({ where: { id: { in: [...made, far] } } });
  });

  it("pages a word found in more than 1,000 dandisets in order, ties by id, without embargoed ones", async () => {
    // 1,200 dandisets and their drafts in one statement (the version triggers are
    // set-based); every 100th embargoed; names repeat so that ordering=name has ties.
    const [row] = await ctx.prisma.$queryRaw<{ made: number[] }[]>`
      WITH made AS (
        INSERT INTO dandisets (embargo_status, created)
        SELECT (CASE WHEN g % 100 = 0 THEN 'EMBARGOED' ELSE 'OPEN' END)::"EmbargoStatus", now() - g * interval '1 minute'
        FROM generate_series(1, 1200) g RETURNING id),
      drafts AS (
        INSERT INTO versions (dandiset_id, version, name, metadata)
        SELECT id, 'draft', 'Common ' || (id % 7), '{"description": "widespreadword everywhere"}'::jsonb FROM made)
      SELECT array_agg(id) AS made FROM made`;
    const made = row!.made;
    const visible = await ctx.prisma.$queryRaw<{ id: number; name: string }[]>`
      SELECT d.id, d.latest_name AS name FROM dandisets d WHERE d.id = ANY(${made}) AND d.embargo_status = 'OPEN'`;
    expect(visible).toHaveLength(1188);
    const id6 = (id: number) => String(id).padStart(6, "0");

    const byCreated = await ctx.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM dandisets WHERE id = ANY(${made}) AND embargo_status = 'OPEN' ORDER BY created, id LIMIT 100`;
    const byName = [...visible]
      .sort((x, y) => (x.name === y.name ? y.id - x.id : x.name < y.name ? 1 : -1))
      .map((r) => id6(r.id));
    const pagesInOrder = async () => {
      const page1 = (await list("?search=widespreadword")).body;
      expect(page1.count).toBe(1188);
      expect(ids(page1)).toEqual(byCreated.map((r) => id6(r.id)));
      // Every page of ordering=-name, concatenated, is the whole set in (name, id) descending order.
      const pages: string[] = [];
      for (let p = 1; p <= 3; p++)
        pages.push(...ids((await list(`?search=widespreadword&ordering=-name&page=${p}&page_size=400`)).body));
      expect(pages).toEqual(byName);
    };
    // Not folded yet, the word's df is unknown (0) and its dandisets are looked up by id;
    // folded, its df is 1,200 and the list tests each row against its bitmap.
    await pagesInOrder();
    await fold();
    const [word] = await ctx.prisma.$queryRaw<{ df: number; bitmap: boolean }[]>`
      SELECT s.df, s.bitmap IS NOT NULL AS bitmap
      FROM search_tokens t JOIN search_token_stats s ON s.token_id = t.id WHERE t.token = 'widespreadword'`;
    expect(word).toEqual({ df: 1200, bitmap: true });
    await pagesInOrder();

    // The owner of an embargoed one sees it with embargoed=true; others never do.
    const { user: keeper, token } = await buildUser(ctx.prisma);
    const embargoedId = (
      await ctx.prisma.dandiset.findFirstOrThrow({ where: { id: { in: made }, embargoStatus: "EMBARGOED" } })
    ).id;
    await ctx.prisma.dandisetOwner.create({ data: { dandisetId: embargoedId, userId: keeper.id } });
    expect((await list("?search=widespreadword&embargoed=true", token)).body.count).toBe(1189);
    expect((await list("?search=widespreadword&embargoed=true", owner.token)).body.count).toBe(1188);
    const mine = (await list("?search=widespreadword&user=me&embargoed=true", token)).body;
    expect(ids(mine)).toEqual([id6(embargoedId)]);
    expect((await list("?search=widespreadword%20nothingelse")).body).toMatchObject({ count: 0, results: [] });
  });
});
