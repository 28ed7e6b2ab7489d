import type { PrismaClient } from "@dandi/db";

/**
 * Checks that a version's derived tables agree with its version_assets rows, as
 * if every asset had been added one by one: the folder tree (asset_paths, with
 * each folder's file count and size), the sparse position index
 * (version_asset_chunks: every chunk counts exactly the rows from its key up to
 * the next chunk's, and every row is covered) and the version's counters.
 * Returns the differences found ([] when consistent).
 */
export async function treeProblems(prisma: PrismaClient, versionId: number): Promise<string[]> {
  const problems: string[] = [];
  const rows = await prisma.$queryRaw<{ path: string; asset_id: bigint; size: bigint }[]>`
    SELECT va.path, va.asset_id, coalesce(b.size, z.size) AS size FROM version_assets va
    JOIN assets a ON a.id = va.asset_id
    LEFT JOIN asset_blobs b ON b.id = a.blob_id LEFT JOIN zarr_archives z ON z.id = a.zarr_id
    WHERE va.version_id = ${versionId}`;
  const expected = new Map<string, { parent: string; assetId: bigint | null; files: bigint; size: bigint }>();
  for (const r of rows) {
    const parts = r.path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      const node = expected.get(folder) ?? {
        parent: parts.slice(0, i - 1).join("/"),
        assetId: null,
        files: 0n,
        size: 0n,
      };
      node.files += 1n;
      node.size += r.size;
      expected.set(folder, node);
    }
    expected.set(r.path, { parent: parts.slice(0, -1).join("/"), assetId: r.asset_id, files: 1n, size: r.size });
  }
  const actual = await prisma.assetPath.findMany({ where: { versionId } });
  const seen = new Set<string>();
  for (const a of actual) {
    seen.add(a.path);
    const e = expected.get(a.path);
    const got = `${a.parent}|${a.assetId}|${a.aggregateFiles}|${a.aggregateSize}`;
    if (!e) problems.push(`asset_paths has ${a.path} (${got}), which holds no asset`);
    else if (got !== `${e.parent}|${e.assetId}|${e.files}|${e.size}`) {
      problems.push(`asset_paths ${a.path} is ${got}, expected ${e.parent}|${e.assetId}|${e.files}|${e.size}`);
    }
  }
  for (const p of expected.keys()) if (!seen.has(p)) problems.push(`asset_paths lacks ${p}`);

  const chunks = await prisma.$queryRaw<{ first_asset_id: bigint; count: number; actual: bigint }[]>`
    SELECT ch.first_asset_id, ch.count, (
      SELECT count(*) FROM version_assets r
      WHERE r.version_id = ${versionId} AND (r.created, r.asset_id) >= (ch.first_created, ch.first_asset_id)
        AND (nx.first_created IS NULL OR (r.created, r.asset_id) < (nx.first_created, nx.first_asset_id))
    ) AS actual
    FROM version_asset_chunks ch
    LEFT JOIN LATERAL (
      SELECT first_created, first_asset_id FROM version_asset_chunks n
      WHERE n.version_id = ${versionId} AND (n.first_created, n.first_asset_id) > (ch.first_created, ch.first_asset_id)
      ORDER BY n.first_created, n.first_asset_id LIMIT 1) nx ON true
    WHERE ch.version_id = ${versionId}`;
  let covered = 0;
  for (const c of chunks) {
    covered += c.count;
    if (BigInt(c.count) !== c.actual)
      problems.push(`chunk at ${c.first_asset_id} counts ${c.count}, holds ${c.actual}`);
  }
  if (covered !== rows.length) problems.push(`chunks count ${covered} assets, the version has ${rows.length}`);

  const v = await prisma.version.findUniqueOrThrow({ where: { id: versionId } });
  const size = rows.reduce((s, r) => s + r.size, 0n);
  if (Number(v.assetCount) !== rows.length || BigInt(v.size) !== size) {
    problems.push(`version counters ${v.assetCount}/${v.size}, expected ${rows.length}/${size}`);
  }
  return problems;
}
