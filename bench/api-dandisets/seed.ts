import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { REPO_ROOT, refreshDandisetColumns, refreshSearchTokens, runSteps, withIndexesDeferred } from "../lib/db";
import {
  AFFILIATIONS,
  APPROACHES,
  DESCRIPTION_WORDS,
  FIRST_NAMES,
  KEYWORDS,
  LAST_NAMES,
  LICENSES,
  RARE_WORD,
  RARE_WORD_DANDISETS,
  SPECIES,
  TECHNIQUES,
} from "../lib/vocabulary";

export interface SeedDandisetsOptions {
  dandisets: number;
  users: number;
}

/** The schema version the seeded metadata claims: the one the server advertises. */
export function benchSchemaVersion(): string {
  try {
    const file = path.join(REPO_ROOT, "schemas", "versions.json");
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { schema_version: string }).schema_version;
  } catch {
    return "0.7.0";
  }
}

/**
 * Seeds users, dandisets, owners, stars and versions with set-based SQL
 * (INSERT ... SELECT generate_series): ~10,000 dandisets take seconds.
 * Every id < ~15 % of dandisets has a published version as well as its draft;
 * every 333rd is embargoed. The metadata follows DANDI's Dandiset model.
 */
export async function seedDandisets(client: pg.Client, options: SeedDandisetsOptions): Promise<void> {
  const { dandisets, users } = options;
  const vocabulary = [
    DESCRIPTION_WORDS,
    FIRST_NAMES,
    LAST_NAMES,
    AFFILIATIONS,
    SPECIES.map((s) => s[0]),
    SPECIES.map((s) => s[1]),
    APPROACHES,
    TECHNIQUES,
    KEYWORDS,
    LICENSES,
    RARE_WORD,
    RARE_WORD_DANDISETS,
    benchSchemaVersion(),
  ];
  const pick = (a: string) => `pg_temp.pick(v.${a})`;
  await runSteps(client, [
    [
      "vocabulary",
      `CREATE TEMP TABLE v (words text[], fn text[], ln text[], aff text[], species_id text[], species_name text[],
        approaches text[], techniques text[], keywords text[], licenses text[], rare text, rare_ids int[], schema_version text)`,
    ],
    ["vocabulary rows", `INSERT INTO v VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`, vocabulary],
    [
      "helpers",
      `CREATE FUNCTION pg_temp.pick(a text[]) RETURNS text LANGUAGE sql VOLATILE
        AS 'SELECT a[1 + floor(random() * array_length(a, 1))::int]'`,
    ],
    [
      `users (${users})`,
      `INSERT INTO users (id, email, username, first_name, last_name, status, github_id, github_login, github_name, date_joined)
       SELECT i, lower(n.fn) || '.' || lower(n.ln) || i || '@example.org', lower(n.fn) || lower(n.ln) || i, n.fn, n.ln,
              (CASE WHEN i % 25 = 0 THEN 'PENDING' ELSE 'APPROVED' END)::"UserStatus",
              (100000 + i)::text, lower(n.fn) || lower(n.ln) || i, n.fn || ' ' || n.ln,
              timestamptz '2019-06-01' + i * interval '5 days'
       FROM generate_series(1, ${users}) i, v,
            LATERAL (SELECT v.fn[1 + i % array_length(v.fn, 1)] AS fn, v.ln[1 + (i * 7) % array_length(v.ln, 1)] AS ln) n`,
    ],
    ["users sequence", `SELECT setval('users_id_seq', ${users})`],
    [
      `dandisets (${dandisets})`,
      `INSERT INTO dandisets (id, embargo_status, embargo_end_date, created, modified)
       SELECT i, (CASE WHEN i % 333 = 0 THEN 'EMBARGOED' ELSE 'OPEN' END)::"EmbargoStatus",
              CASE WHEN i % 333 = 0 THEN date '2027-06-01' END, t.c, t.c + random() * interval '400 days'
       FROM generate_series(1, ${dandisets}) i,
            LATERAL (SELECT timestamptz '2019-01-01' + i * (interval '6 years' / ${dandisets}) + random() * interval '3 hours' AS c) t`,
    ],
    ["dandisets sequence", `SELECT setval('dandisets_id_seq', ${dandisets})`],
    [
      "owners (1-3 per dandiset)",
      `INSERT INTO dandiset_owners (dandiset_id, user_id, created)
       SELECT d.id, 1 + (d.id * 31 + k * 97) % ${users}, d.created
       FROM dandisets d, generate_series(0, d.id % 3) k ON CONFLICT DO NOTHING`,
    ],
    [
      "stars (skewed)",
      `INSERT INTO dandiset_stars (dandiset_id, user_id, created)
       SELECT d.id, s.u, d.created + interval '1 day'
       FROM dandisets d, LATERAL (
         SELECT DISTINCT 1 + floor(random() * ${users})::int AS u
         FROM generate_series(1, floor(power(random(), 6) * 30)::int + 0 * d.id)) s`,
    ],
    [
      "sentence pool (5,000)",
      // Descriptions are strung from a pool of random sentences: picking 300 words per
      // dandiset one by one costs a minute, picking ~20 sentences costs a second.
      // (`+ 0 * g` keeps each aggregate at the level of its inner series.)
      `CREATE TEMP TABLE sentences AS
       SELECT s AS id, initcap(v.words[1 + floor(random() * array_length(v.words, 1))::int]) || ' ' ||
         (SELECT string_agg(v.words[1 + floor(power(random(), 2) * array_length(v.words, 1))::int + 0 * g], ' ')
          FROM generate_series(1, 10 + s % 11) g) AS text
       FROM generate_series(1, 5000) s, v`,
    ],
    ["sentence pool index", "ALTER TABLE sentences ADD PRIMARY KEY (id)"],
    [
      "generated metadata parts",
      `CREATE TEMP TABLE gen AS
       SELECT d.id, d.created, d.modified, d.embargo_status, d.embargo_end_date,
         'DANDI:' || lpad(d.id::text, 6, '0') AS identifier,
         left(initcap((SELECT string_agg(v.words[1 + floor(random() * array_length(v.words, 1))::int + 0 * g], ' ')
           FROM generate_series(1, 4 + d.id % 9) g))
           || CASE WHEN d.id = ANY (v.rare_ids) THEN ' of the ' || v.rare ELSE '' END, 300) AS name,
         (SELECT string_agg(s.text, '. ') || '.' FROM generate_series(1, 10 + d.id % 18) g
          JOIN sentences s ON s.id = 1 + (d.id * 131 + g * 977) % 5000) AS description,
         (SELECT jsonb_agg(jsonb_build_object(
             'name', ${pick("ln")} || ', ' || ${pick("fn")},
             'email', 'contributor' || g || '.' || d.id || '@example.org',
             'identifier', '0000-0002-' || lpad((d.id % 10000)::text, 4, '0') || '-' || lpad(g::text, 4, '0'),
             'roleName', CASE WHEN g = 1 THEN '["dcite:ContactPerson", "dcite:Author"]'::jsonb
                              ELSE '["dcite:Author", "dcite:DataCollector"]'::jsonb END,
             'schemaKey', 'Person',
             'affiliation', jsonb_build_array(jsonb_build_object('schemaKey', 'Affiliation', 'name', ${pick("aff")})),
             'includeInCitation', true) ORDER BY g)
          FROM generate_series(1, 2 + d.id % 7) g) AS contributor,
         (SELECT jsonb_agg(DISTINCT k) FROM (SELECT ${pick("keywords")} AS k FROM generate_series(1, 2 + d.id % 5)) kw) AS keywords,
         jsonb_build_array(v.licenses[1 + d.id % 2]) AS license,
         CASE WHEN d.id % 20 = 7 THEN 0 ELSE 1 + floor(power(random(), 3) * 20000)::bigint END AS files,
         CASE WHEN random() < 0.55 THEN 1 ELSE 1 + floor(random() * 6)::int END AS species,
         1 + floor(random() * array_length(v.approaches, 1))::int AS approach,
         (SELECT jsonb_agg(DISTINCT jsonb_build_object('schemaKey', 'MeasurementTechniqueType', 'name', t))
          FROM (SELECT ${pick("techniques")} AS t FROM generate_series(1, 1 + d.id % 3)) tt) AS techniques,
         v.schema_version
       FROM dandisets d, v`,
    ],
    ["metadata columns", `ALTER TABLE gen ADD COLUMN bytes bigint, ADD COLUMN summary jsonb, ADD COLUMN base jsonb`],
    ["sizes", `UPDATE gen SET bytes = files * (1000000 + floor(random() * 5e9)::bigint)`],
    [
      "metadata",
      `UPDATE gen g SET
         summary = jsonb_build_object(
           'schemaKey', 'AssetsSummary', 'numberOfBytes', g.bytes, 'numberOfFiles', g.files,
           'numberOfSubjects', CASE WHEN g.files = 0 THEN 0 ELSE 1 + g.files / 40 END,
           'species', jsonb_build_array(jsonb_build_object('schemaKey', 'SpeciesType',
              'identifier', v.species_id[g.species], 'name', v.species_name[g.species])),
           'approach', jsonb_build_array(jsonb_build_object('schemaKey', 'ApproachType', 'name', v.approaches[g.approach])),
           'measurementTechnique', g.techniques,
           'dataStandard', '[{"schemaKey": "StandardsType", "name": "Neurodata Without Borders (NWB)", "identifier": "RRID:SCR_015242"}]'::jsonb,
           'variableMeasured', '["ElectricalSeries", "Units", "ProcessingModule"]'::jsonb),
         base = jsonb_build_object(
           '@context', 'https://raw.githubusercontent.com/dandi/schema/master/releases/' || g.schema_version || '/context.json',
           'schemaKey', 'Dandiset', 'schemaVersion', g.schema_version,
           'identifier', g.identifier, 'name', g.name, 'description', g.description,
           'contributor', g.contributor, 'keywords', coalesce(g.keywords, '[]'::jsonb), 'license', g.license,
           'access', CASE WHEN g.embargo_status = 'EMBARGOED'
             THEN jsonb_build_array(jsonb_build_object('schemaKey', 'AccessRequirements', 'status', 'dandi:EmbargoedAccess',
                    'embargoedUntil', g.embargo_end_date::text))
             ELSE '[{"schemaKey": "AccessRequirements", "status": "dandi:OpenAccess"}]'::jsonb END,
           'repository', 'https://dandiarchive.org',
           'dateCreated', to_char(g.created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
           'ethicsApproval', '[]'::jsonb, 'studyTarget', '[]'::jsonb, 'protocol', '[]'::jsonb,
           'relatedResource', '[]'::jsonb, 'wasGeneratedBy', '[]'::jsonb)
       FROM v`,
    ],
  ]);
  // Triggers off for the bulk load (session_replication_role = replica): a per-row
  // trigger that maintains derived tables would otherwise run 11,500 times.
  await withIndexesDeferred(client, ["versions"], () =>
    runSteps(client, [
      ["skip triggers during the load", "SET session_replication_role = replica"],
      ["draft versions", DRAFT_VERSIONS_SQL],
      ["published versions (~15 %)", PUBLISHED_VERSIONS_SQL],
      ["triggers back on", "SET session_replication_role = DEFAULT"],
    ]),
  );
  // Statistics first: the postings function's cached plans would otherwise be made for empty tables.
  // VACUUM too: index-only scans need the visibility map that autovacuum keeps in production.
  await runSteps(client, [
    ["vacuum analyze", "VACUUM ANALYZE users, dandisets, dandiset_owners, dandiset_stars, versions"],
  ]);
  await refreshSearchTokens(client, "SELECT id FROM dandisets");
  await refreshDandisetColumns(client, "SELECT id FROM dandisets");
}

const DRAFT_VERSIONS_SQL = `INSERT INTO versions (dandiset_id, version, name, metadata, status, asset_count, size, created, modified)
       SELECT g.id, 'draft', g.name,
         g.base || jsonb_build_object('version', 'draft', 'id', g.identifier || '/draft',
           'url', 'https://dandiarchive.org/dandiset/' || lpad(g.id::text, 6, '0') || '/draft',
           'manifestLocation', jsonb_build_array('https://api.dandiarchive.org/api/dandisets/' || lpad(g.id::text, 6, '0') || '/versions/draft/assets/'),
           'assetsSummary', g.summary,
           'citation', g.name || ' (' || extract(year FROM g.created) || '). (Version draft) [Data set]. DANDI Archive. https://dandiarchive.org/dandiset/' || lpad(g.id::text, 6, '0') || '/draft'),
         CASE WHEN g.id % 20 IN (1, 8, 15) THEN 'Published'
              WHEN g.id % 7 = 0 THEN 'Invalid' WHEN g.id % 11 = 0 THEN 'Pending' ELSE 'Valid' END,
         g.files, g.bytes, g.created, g.modified
       FROM gen g`;

const PUBLISHED_VERSIONS_SQL = `INSERT INTO versions (dandiset_id, version, name, metadata, status, doi, asset_count, size, created, modified)
       SELECT g.id, p.version, g.name,
         g.base || jsonb_build_object('version', p.version, 'id', g.identifier || '/' || p.version,
           'url', 'https://dandiarchive.org/dandiset/' || lpad(g.id::text, 6, '0') || '/' || p.version,
           'doi', p.doi, 'datePublished', to_char(p.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'),
           'manifestLocation', jsonb_build_array('https://dandiarchive.s3.amazonaws.com/dandisets/' || lpad(g.id::text, 6, '0') || '/' || p.version || '/assets.yaml'),
           'assetsSummary', g.summary,
           'publishedBy', jsonb_build_object('id', 'urn:uuid:' || gen_random_uuid(), 'name', 'DANDI publish',
              'schemaKey', 'PublishActivity', 'startDate', to_char(p.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')),
           'citation', g.name || ' (' || extract(year FROM p.at) || ') (Version ' || p.version || ') [Data set]. DANDI Archive. https://doi.org/' || p.doi),
         'Valid', p.doi, g.files, g.bytes, p.at, p.at
       FROM gen g,
            LATERAL (SELECT g.created + interval '30 days' AS at) t,
            LATERAL (SELECT t.at, '0.' || to_char(t.at AT TIME ZONE 'UTC', 'YYMMDD.HH24MI') AS version,
                            '10.80507/dandi.' || lpad(g.id::text, 6, '0') || '/0.' || to_char(t.at AT TIME ZONE 'UTC', 'YYMMDD.HH24MI') AS doi) p
       WHERE g.id % 20 IN (1, 8, 15) AND g.embargo_status = 'OPEN'`;
