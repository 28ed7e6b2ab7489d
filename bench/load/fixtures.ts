import { createHash } from "node:crypto";
import type pg from "pg";
import type { THttpClient } from "./http";

/** One load client's identity: an approved user with an API key and an OPEN dandiset it owns. */
export interface TClientUser {
  userId: number;
  token: string;
  dandiset: string;
}

export interface TLoadFixtures {
  users: TClientUser[];
  /** Asset ids (for detail and download). */
  assets: string[];
  /** Dandisets whose draft has assets (for asset lists). */
  assetDandisets: string[];
  dandisets: number;
}

/** A benchmark-only API key (40 hex characters) for user `id` in a throw-away database. */
function benchKey(id: number): string {
  return createHash("sha1").update(`dandi-bench-load-${id}`).digest("hex");
}

/**
 * Gives the first `count` APPROVED seeded users an API key and makes sure each owns
 * an OPEN dandiset (one is assigned when the seed gave it none).
 */
export async function seedClientUsers(client: pg.Client, count: number): Promise<TClientUser[]> {
  const { rows } = await client.query<{ id: number }>(
    "SELECT id FROM users WHERE status = 'APPROVED' ORDER BY id LIMIT $1",
    [count],
  );
  const users: TClientUser[] = [];
  const taken: number[] = [];
  for (const { id } of rows) {
    const token = benchKey(id);
    await client.query(
      `INSERT INTO api_tokens (user_id, key_hash, key_prefix) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, key_prefix = EXCLUDED.key_prefix`,
      [id, createHash("sha256").update(token, "utf8").digest("hex"), token.slice(0, 4)],
    );
    // A dandiset of its own that no other client has taken (two clients never write one draft).
    let owned = await client.query<{ id: number }>(
      `SELECT d.id FROM dandiset_owners o JOIN dandisets d ON d.id = o.dandiset_id
       WHERE o.user_id = $1 AND d.embargo_status = 'OPEN' AND d.id <> ALL($2::int[]) ORDER BY d.id LIMIT 1`,
      [id, taken],
    );
    if (!owned.rows[0]) {
      owned = await client.query<{ id: number }>(
        `INSERT INTO dandiset_owners (dandiset_id, user_id)
         SELECT id, $1 FROM dandisets WHERE embargo_status = 'OPEN' AND id <> ALL($2::int[])
         ORDER BY id DESC LIMIT 1
         RETURNING dandiset_id AS id`,
        [id, taken],
      );
    }
    taken.push(owned.rows[0]!.id);
    users.push({ userId: id, token, dandiset: String(owned.rows[0]!.id).padStart(6, "0") });
  }
  return users;
}

function expectStatus(what: string, status: number, body: string, expected = 200): void {
  if (status !== expected) throw new Error(`${what}: ${status} ${body.slice(0, 300)}`);
}

/** One file through DANDI's upload protocol: initialize, PUT the part, complete, validate, add the asset. */
async function uploadAsset(http: THttpClient, user: TClientUser, dandiset: string, assetPath: string): Promise<string> {
  // Unique bytes per dandiset and path: the same content would be one blob (409 on initialize).
  const data = Buffer.from(`${dandiset}/${assetPath}\n${"x".repeat(64 + (assetPath.length % 32))}`);
  const md5 = createHash("md5").update(data).digest();
  const etag = `${createHash("md5").update(md5).digest("hex")}-1`;
  const init = await http.request({
    method: "POST",
    path: "/api/uploads/initialize/",
    token: user.token,
    json: { contentSize: data.length, digest: { algorithm: "dandi:dandi-etag", value: etag }, dandiset },
  });
  expectStatus("initialize", init.status, init.body);
  const { upload_id: uploadId, parts } = JSON.parse(init.body) as {
    upload_id: string;
    parts: { upload_url: string }[];
  };
  const put = await http.request({
    method: "PUT",
    path: parts[0]!.upload_url,
    raw: data,
    headers: { "Content-MD5": md5.toString("base64") },
  });
  expectStatus("part PUT", put.status, put.body);
  const partEtag = String(put.headers.etag ?? md5.toString("hex")).replace(/"/g, "");
  const complete = await http.request({
    method: "POST",
    path: `/api/uploads/${uploadId}/complete/`,
    token: user.token,
    json: { parts: [{ part_number: 1, size: data.length, etag: partEtag }] },
  });
  expectStatus("complete", complete.status, complete.body);
  const done = JSON.parse(complete.body) as { complete_url: string; body: string };
  const finish = await http.request({ method: "POST", path: done.complete_url, raw: done.body });
  expectStatus("complete POST", finish.status, finish.body);
  const validate = await http.request({
    method: "POST",
    path: `/api/uploads/${uploadId}/validate/`,
    token: user.token,
  });
  expectStatus("validate", validate.status, validate.body);
  const { blob_id: blobId } = JSON.parse(validate.body) as { blob_id: string };
  const asset = await http.request({
    method: "POST",
    path: `/api/dandisets/${dandiset}/versions/draft/assets/`,
    token: user.token,
    json: { blob_id: blobId, metadata: { path: assetPath, encodingFormat: "application/x-nwb" } },
  });
  expectStatus("add asset", asset.status, asset.body);
  return (JSON.parse(asset.body) as { asset_id: string }).asset_id;
}

/**
 * Thousands of assets made through the API itself (16 uploads at a time), so that
 * every derived row (paths, aggregates, chunks, summaries) is the server's own.
 */
export async function seedAssetsThroughApi(
  http: THttpClient,
  users: TClientUser[],
  dandisets: number,
  perDandiset: number,
): Promise<string[]> {
  const owners = users.slice(0, dandisets);
  const jobs: { user: TClientUser; path: string }[] = [];
  // Round robin over the dandisets: concurrent writes to one draft would queue on its row lock.
  for (let n = 0; n < perDandiset; n++) {
    for (const user of owners) {
      const subject = String(1 + (n % 10)).padStart(2, "0");
      jobs.push({ user, path: `sub-${subject}/sub-${subject}_ses-${String(n).padStart(3, "0")}_ecephys.nwb` });
    }
  }
  const ids: string[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        ids.push(await uploadAsset(http, job.user, job.user.dandiset, job.path));
        if (ids.length % 250 === 0) {
          console.log(`  ${ids.length} assets uploaded (${((performance.now() - started) / 1000).toFixed(0)} s)`);
        }
      }
    }),
  );
  return ids;
}
