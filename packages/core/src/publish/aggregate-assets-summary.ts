import { Prisma, type Db } from "@dandi/db";

export interface AggregateAssetsSummaryOptions {
  /**
   * Only assets whose status is Valid: what DANDI aggregates for a draft
   * (version_aggregate_assets_summary). A publish aggregates every asset of
   * the new version (they are all Valid by then).
   */
  validOnly?: boolean;
}

/**
 * dandischema's sanitize_value: these characters (and ".") become "-". Python's
 * \s also covers non-ASCII spaces; only the ASCII ones are replaced here.
 */
const SANITIZE_FROM = `_*\\/<>:|"'?%@;,. \t\n\r\f\v`;
const SANITIZE_TO = "-".repeat(SANITIZE_FROM.length);
/** pathlib's suffixes == [".ome", ".zarr"] for a file name (leading dots are not suffixes). */
const OME_NGFF_NAME_RE = String.raw`^[^.]*\.ome\.zarr$`;

const STANDARDS = {
  nwb: { schemaKey: "StandardsType", name: "Neurodata Without Borders (NWB)", identifier: "RRID:SCR_015242" },
  bids: { schemaKey: "StandardsType", name: "Brain Imaging Data Structure (BIDS)", identifier: "RRID:SCR_016124" },
  omeNgff: { schemaKey: "StandardsType", name: "OME/NGFF Standard", identifier: "DOI:10.25504/FAIRsharing.9af712" },
};

/** A JSON array field of the asset metadata, or [] when it is missing or not an array. */
const arrayField = (field: string) =>
  Prisma.sql`CASE WHEN jsonb_typeof(a.metadata->${field}) = 'array' THEN a.metadata->${field} ELSE '[]' END`;

/** The first element of a JSON array expression whose schemaKey is BioSample (null if none or not an array). */
const firstBioSample = (array: Prisma.Sql) => Prisma.sql`CASE WHEN jsonb_typeof(${array}) = 'array' THEN (
  SELECT x FROM jsonb_array_elements(${array}) WITH ORDINALITY e(x, i)
  WHERE x->>'schemaKey' = 'BioSample' ORDER BY i LIMIT 1) END`;

/**
 * A version's `assetsSummary`, as dandischema 0.12.1's aggregate_assets_summary
 * (the version DANDI pins) computes it, but in the database:
 * - numberOfBytes (a zarr asset counts its zarr's size, as its contentSize), numberOfFiles;
 * - numberOfSubjects: distinct sanitised identifiers of Participants in
 *   wasAttributedTo, together with the "sub-X" entities of the file names;
 * - numberOfSamples: distinct tissuesample identifiers (and "sample-X" entities
 *   of file names) plus slice identifiers; numberOfCells: cell identifiers;
 *   both from the chain of first BioSamples in wasDerivedFrom;
 * - the distinct species (of Participants), approaches, measurement techniques
 *   and variables measured;
 * - dataStandard: NWB for an encodingFormat containing "nwb", BIDS for a
 *   dataset_description.json, OME/NGFF for a *.ome.zarr.
 * With at least one asset the five lists are always present, empty or not.
 * The version's assets are read once, keeping only the few metadata fields the
 * summary needs (a CTE of whole metadata documents spilled 150 MB to disk at
 * 100,000 assets). List order is sorted, not first-seen.
 */
export async function aggregateAssetsSummary(
  db: Db,
  versionId: number,
  options: AggregateAssetsSummaryOptions = {},
): Promise<Record<string, unknown>> {
  const statusFilter = options.validOnly ? Prisma.sql`AND a.status = 'Valid'` : Prisma.empty;
  const sanitize = (value: Prisma.Sql) => Prisma.sql`translate(${value}, ${SANITIZE_FROM}, ${SANITIZE_TO})`;
  const [row] = await db.$queryRaw<
    {
      bytes: bigint;
      files: bigint;
      subjects: bigint;
      tissue_samples: bigint;
      slices: bigint;
      cells: bigint;
      species: unknown[] | null;
      approach: unknown[] | null;
      technique: unknown[] | null;
      variables: string[] | null;
      nwb: boolean;
      bids: boolean;
      ome_ngff: boolean;
    }[]
  >(Prisma.sql`
    WITH RECURSIVE va AS MATERIALIZED (
      SELECT coalesce(b.size, z.size, 0) AS size,
        ${arrayField("wasAttributedTo")} AS attributed,
        ${arrayField("approach")} AS approach,
        ${arrayField("measurementTechnique")} AS technique,
        ${arrayField("variableMeasured")} AS variables,
        ${firstBioSample(Prisma.sql`a.metadata->'wasDerivedFrom'`)} AS sample,
        coalesce(a.metadata->>'encodingFormat', '') AS encoding,
        regexp_replace(a.path, '^.*/', '') AS name
      FROM version_assets v JOIN assets a ON a.id = v.asset_id
      LEFT JOIN asset_blobs b ON b.id = a.blob_id LEFT JOIN zarr_archives z ON z.id = a.zarr_id
      WHERE v.version_id = ${versionId} ${statusFilter}
    ),
    samples(sample) AS (
      SELECT sample FROM va WHERE sample IS NOT NULL
      UNION ALL
      SELECT ${firstBioSample(Prisma.sql`s.sample->'wasDerivedFrom'`)} FROM samples s WHERE s.sample IS NOT NULL
    ),
    sample_ids AS (
      SELECT sample->'sampleType'->>'name' AS kind, ${sanitize(Prisma.sql`sample->>'identifier'`)} AS id
      FROM samples WHERE sample ? 'sampleType' AND sample ? 'identifier'
    ),
    name_parts AS (
      SELECT part FROM va, unnest(string_to_array(split_part(name, '.', 1), '_')) part
      WHERE strpos(name, 'sub-') > 0 OR strpos(name, 'sample-') > 0
    )
    SELECT
      (SELECT coalesce(sum(size), 0) FROM va)::bigint AS bytes,
      (SELECT count(*) FROM va)::bigint AS files,
      (SELECT count(*) FROM (
        SELECT ${sanitize(Prisma.sql`p->>'identifier'`)} FROM va, jsonb_array_elements(attributed) p
        WHERE p->>'schemaKey' = 'Participant' AND coalesce(p->>'identifier', '') <> ''
        UNION
        SELECT replace(part, 'sub-', '') FROM name_parts WHERE starts_with(part, 'sub-')
      ) s)::bigint AS subjects,
      (SELECT count(*) FROM (
        SELECT id FROM sample_ids WHERE kind = 'tissuesample'
        UNION
        SELECT replace(part, 'sample-', '') FROM name_parts WHERE starts_with(part, 'sample-')
      ) s)::bigint AS tissue_samples,
      (SELECT count(DISTINCT id) FROM sample_ids WHERE kind = 'slice')::bigint AS slices,
      (SELECT count(DISTINCT id) FROM sample_ids WHERE kind = 'cell')::bigint AS cells,
      (SELECT jsonb_agg(DISTINCT p->'species') FROM va, jsonb_array_elements(attributed) p
        WHERE p->>'schemaKey' = 'Participant' AND jsonb_typeof(p->'species') = 'object') AS species,
      (SELECT jsonb_agg(DISTINCT x) FROM va, jsonb_array_elements(approach) x) AS approach,
      (SELECT jsonb_agg(DISTINCT x) FROM va, jsonb_array_elements(technique) x) AS technique,
      (SELECT array_agg(DISTINCT x->>'value') FROM va, jsonb_array_elements(variables) x
        WHERE x ? 'value') AS variables,
      EXISTS (SELECT 1 FROM va WHERE strpos(encoding, 'nwb') > 0) AS nwb,
      EXISTS (SELECT 1 FROM va WHERE name = 'dataset_description.json') AS bids,
      EXISTS (SELECT 1 FROM va WHERE ltrim(name, '.') ~ ${OME_NGFF_NAME_RE}) AS ome_ngff`);
  const summary: Record<string, unknown> = {
    schemaKey: "AssetsSummary",
    numberOfBytes: Number(row!.bytes),
    numberOfFiles: Number(row!.files),
  };
  if (row!.subjects > 0n) summary.numberOfSubjects = Number(row!.subjects);
  if (row!.tissue_samples + row!.slices > 0n) summary.numberOfSamples = Number(row!.tissue_samples + row!.slices);
  if (row!.cells > 0n) summary.numberOfCells = Number(row!.cells);
  // dandischema fills these lists as soon as it has seen one asset, so an empty one is [] rather than absent.
  if (row!.files > 0n) {
    summary.species = row!.species ?? [];
    summary.approach = row!.approach ?? [];
    summary.measurementTechnique = row!.technique ?? [];
    summary.variableMeasured = row!.variables ?? [];
    summary.dataStandard = [
      ...(row!.nwb ? [STANDARDS.nwb] : []),
      ...(row!.bids ? [STANDARDS.bids] : []),
      ...(row!.ome_ngff ? [STANDARDS.omeNgff] : []),
    ];
  }
  return summary;
}
