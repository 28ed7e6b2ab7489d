import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import request from "supertest";
import pg from "pg";
import { buildUser, TEST_POSTGRES_URL } from "@dandi/testing";
import { createTestContext } from "./context";

// docs/operations/backups.md's self-hosted procedure, run for real: seed a database through the
// API, `pg_dump -Fc` it, `pg_restore` into a new database, and the API on the restored copy
// answers exactly as on the original (the same dandisets, versions, owners, stars and API key).

const source = await createTestContext();
const restoredName = `${path.basename(new URL(source.config.DATABASE_URL).pathname)}_restored`;
const restoredUrl = Object.assign(new URL(source.config.DATABASE_URL), { pathname: `/${restoredName}` }).toString();
const dumpDir = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-backup-"));

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${restoredName}" WITH (FORCE)`);
  await fs.rm(dumpDir, { recursive: true, force: true });
});

const auth = (token: string) => ({ Authorization: `token ${token}` });

/** The answers compared between the original and the restored database. */
async function snapshot(app: typeof source.app, token: string) {
  const paths = ["/api/dandisets/?ordering=id", "/api/dandisets/000001/", "/api/dandisets/000001/versions/draft/info/"];
  const anonymous = await Promise.all(paths.map(async (p) => (await request(app).get(p).expect(200)).body));
  const me = (await request(app).get("/api/users/me/").set(auth(token)).expect(200)).body;
  const starred = (await request(app).get("/api/dandisets/?starred=true").set(auth(token)).expect(200)).body;
  return { anonymous, me, starred };
}

describe("backup and restore with pg_dump -Fc / pg_restore", () => {
  it("restores a database the API answers from exactly as from the original", async () => {
    const { token } = await buildUser(source.prisma, { firstName: "Ada", lastName: "Lovelace" });
    for (const name of ["Mouse V1 recordings", "Zebrafish calcium imaging"]) {
      await request(source.app)
        .post("/api/dandisets/")
        .set(auth(token))
        .send({ name, metadata: { description: `${name}, for the backup test.` } })
        .expect(200);
    }
    await request(source.app).post("/api/dandisets/000001/star/").set(auth(token)).expect(200);
    const before = await snapshot(source.app, token);
    expect(before.anonymous[0].count).toBe(2);

    const dump = path.join(dumpDir, "dandi.dump");
    const pgUrl = (url: string) => url.replace(/^postgresql:/, "postgres:");
    execFileSync("pg_dump", ["-Fc", "--no-owner", "--no-acl", "-f", dump, pgUrl(source.config.DATABASE_URL)]);
    await admin(`CREATE DATABASE "${restoredName}"`);
    execFileSync("pg_restore", ["--no-owner", "--no-acl", "--exit-on-error", "-d", pgUrl(restoredUrl), dump]);

    const restored = await createTestContext({ DATABASE_URL: restoredUrl });
    // The restored copy is ready (migrations table came along) and answers the same.
    await request(restored.app).get("/api/health/ready").expect(200);
    expect(await snapshot(restored.app, token)).toEqual(before);
    // Sequences came along too: the next dandiset gets the next identifier, not a duplicate.
    const next = await request(restored.app)
      .post("/api/dandisets/")
      .set(auth(token))
      .send({ name: "After the restore", metadata: {} })
      .expect(200);
    expect(next.body.identifier).toBe("000003");
  }, 120_000);
});
