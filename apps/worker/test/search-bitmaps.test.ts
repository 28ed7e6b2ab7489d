import { beforeAll, describe, expect, it } from "vitest";
import { createWorkerTestContext, startTestWorker, waitForIdle, type WorkerTestContext } from "./context";

let ctx: WorkerTestContext;

beforeAll(async () => {
  ctx = await createWorkerTestContext();
  await startTestWorker(ctx.deps, ["default"]);
});

const dirtyCount = async () =>
  Number((await ctx.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM search_bitmap_dirty`)[0]!.n);
const token = async (t: string) =>
  (
    await ctx.prisma.$queryRaw<{ df: number; ones: number | null }[]>`
      SELECT coalesce(s.df, 0) AS df, bit_count(s.bitmap)::int AS ones
      FROM search_tokens t LEFT JOIN search_token_stats s ON s.token_id = t.id WHERE t.token = ${t}`
  )[0];

describe("foldSearchBitmaps", () => {
  it("folds the dandisets whose postings changed into the common tokens' bitmaps", async () => {
    // 70 new dandisets share a word (over dandi_search_bitmap_min_df, 64); their drafts'
    // postings are written by the versions trigger, which marks them dirty.
    await ctx.prisma.$executeRaw`
      WITH made AS (INSERT INTO dandisets (embargo_status) SELECT 'OPEN' FROM generate_series(1, 70) RETURNING id)
      INSERT INTO versions (dandiset_id, version, name, metadata)
      SELECT id, 'draft', 'Folded', '{"description": "foldedword"}'::jsonb FROM made`;
    expect(await dirtyCount()).toBeGreaterThanOrEqual(70);
    expect(await token("foldedword")).toEqual({ df: 0, ones: null });

    await ctx.deps.jobs.enqueue("foldSearchBitmaps", {});
    await waitForIdle(ctx.deps);
    expect(await dirtyCount()).toBe(0);
    expect(await token("foldedword")).toEqual({ df: 70, ones: 70 });

    // One of them loses the word: dirty until the next fold, which clears its bit.
    await ctx.prisma.$executeRaw`UPDATE versions SET metadata = '{"description": "other"}'::jsonb
      WHERE id = (SELECT min(id) FROM versions WHERE name = 'Folded')`;
    expect(await dirtyCount()).toBe(1);
    await ctx.deps.jobs.enqueue("foldSearchBitmaps", {});
    await waitForIdle(ctx.deps);
    expect(await dirtyCount()).toBe(0);
    expect(await token("foldedword")).toEqual({ df: 69, ones: 69 });
  });
});
