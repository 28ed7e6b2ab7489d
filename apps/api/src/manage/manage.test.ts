import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { computeDandiEtag } from "@dandi/core";
import { createTestContext } from "../../test/context";
import { DEMO_DANDISETS } from "./commands/demo-dandisets";
import { DEMO_ARCHIVE } from "./commands/demo-archive";

const ctx = await createTestContext();
const API_DIR = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(API_DIR, "node_modules/.bin/tsx");
const MAIN = path.join(API_DIR, "src/manage/main.ts");
const REPO = path.resolve(API_DIR, "../..");

interface ManageResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the management CLI as a child process, as `npm run manage -- ...` does. */
async function manage(args: string[], env: Record<string, string> = {}): Promise<ManageResult> {
  const baseEnv = {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: ctx.config.DATABASE_URL,
    SESSION_SECRET: ctx.config.SESSION_SECRET,
    DANDI_SCHEMA_DIR: ctx.config.DANDI_SCHEMA_DIR,
    LOG_LEVEL: "silent",
  };
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, [MAIN, ...args], { env: { ...baseEnv, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each CLI run starts a Node process that compiles the TypeScript sources: allow for a busy machine.
describe("manage CLI", { timeout: 180_000 }, () => {
  it("createsuperuser + create-token print a key that authenticates GET /api/auth/token/", async () => {
    const created = await manage(["createsuperuser", "--email", "admin@nil.nil", "--password", "s3cret-pass"]);
    expect(created.code).toBe(0);
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { email: "admin@nil.nil" } });
    expect(user).toMatchObject({
      isSuperuser: true,
      isStaff: true,
      status: "APPROVED",
      firstName: "Super",
      lastName: "User",
    });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);

    const token = await manage(["create-token", "--email", "admin@nil.nil"]);
    expect(token.code).toBe(0);
    const match = /^Generated token ([0-9a-f]{40}) for user admin@nil\.nil$/m.exec(token.stdout);
    expect(match).not.toBeNull();
    const key = match![1]!;
    const res = await request(ctx.app).get("/api/auth/token/").set("Authorization", `token ${key}`).expect(200);
    expect(res.body).toBe(key);

    // Regenerating replaces the key.
    const again = await manage(["create-token", "--email", "admin@nil.nil"]);
    expect(again.stdout).not.toContain(key);
    await request(ctx.app).get("/api/auth/token/").set("Authorization", `token ${key}`).expect(401);
  });

  it("refuses a second user with the same e-mail", async () => {
    await manage(["createsuperuser", "--email", "twice@nil.nil"]);
    const second = await manage(["createsuperuser", "--email", "twice@nil.nil"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("A user with that email already exists.");
  });

  it("create-user sets the status, so a PENDING user's key is refused", async () => {
    const created = await manage([
      "create-user",
      "--email",
      "p@example.org",
      "--status",
      "PENDING",
      "--first-name",
      "Pe",
    ]);
    expect(created.code).toBe(0);
    expect(await ctx.prisma.user.findUniqueOrThrow({ where: { email: "p@example.org" } })).toMatchObject({
      status: "PENDING",
      firstName: "Pe",
      isSuperuser: false,
    });
    const key = /Generated token (\w+)/.exec((await manage(["create-token", "--email", "p@example.org"])).stdout)![1]!;
    await request(ctx.app).get("/api/auth/token/").set("Authorization", `token ${key}`).expect(403);
  });

  it("explains bad input and bad configuration", async () => {
    const badStatus = await manage(["create-user", "--email", "q@example.org", "--status", "MAYBE"]);
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain("--status must be one of");
    const missing = await manage(["create-token"]);
    expect(missing.stderr).toContain("--email is required");
    const unknownOption = await manage(["create-token", "--mail", "x"]);
    expect(unknownOption.code).toBe(2);
    const unknown = await manage(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "frobnicate"');
    const noUser = await manage(["create-token", "--email", "nobody@example.org"]);
    expect(noUser.stderr).toContain("No user with e-mail nobody@example.org");
    const config = await manage(["create-token", "--email", "a@b.c"], { SESSION_SECRET: "short" });
    expect(config.code).toBe(1);
    expect(config.stderr).toContain("SESSION_SECRET");
  });

  it("seed-demo creates schema-valid demo dandisets once; demo passwords only in development", async () => {
    const first = await manage(["seed-demo"], { NODE_ENV: "test" });
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("schema warning");
    expect(first.stdout).not.toContain("Demo accounts");
    const second = await manage(["seed-demo"], { NODE_ENV: "test" });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain("Created dandiset");

    const demo = await ctx.prisma.user.findUniqueOrThrow({ where: { email: "demo@example.org" } });
    expect(demo.status).toBe("APPROVED");
    expect(demo.passwordHash).toBeNull();
    expect(await ctx.prisma.user.findUnique({ where: { email: "demo-admin@example.org" } })).toBeNull();
    const versions = await ctx.prisma.version.findMany({
      where: { version: "draft", dandiset: { owners: { some: { userId: demo.id } } } },
      include: { dandiset: true },
    });
    expect(versions).toHaveLength(DEMO_DANDISETS.length);
    for (const v of versions) {
      const id = String(v.dandisetId).padStart(6, "0");
      expect(v.metadata).toMatchObject({ identifier: `DANDI:${id}`, id: `DANDI:${id}/draft`, name: v.name });
      expect(ctx.deps.schemas.validate("Dandiset", v.metadata)).toEqual([]);
    }
    expect(await ctx.prisma.auditRecord.count({ where: { recordType: "create_dandiset" } })).toBe(
      DEMO_DANDISETS.length,
    );
  });

  it("seed-demo --full seeds a living archive once: files in folders, published with a DOI, embargoed, stars, users", async () => {
    const env = { LOCAL_STORAGE_DIR: ctx.config.LOCAL_STORAGE_DIR, NODE_ENV: "development" };
    const first = await manage(["seed-demo", "--full"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).not.toContain("schema warning");
    expect(first.stdout).not.toContain("Invalid");
    expect(first.stdout).toContain("admin: demo-admin@example.org / demo-admin-password");
    expect(first.stdout).toMatch(/DOI 10\.80507\/dandi\.000001\/0\.\d{6}\.\d{4} \(recorded only: not registered/);

    const { prisma } = ctx;
    const dandisets = await prisma.dandiset.findMany({ include: { versions: true }, orderBy: { id: "asc" } });
    expect(dandisets).toHaveLength(DEMO_ARCHIVE.length);
    const published = dandisets.flatMap((d) => d.versions.filter((v) => v.version !== "draft"));
    expect(published.length).toBeGreaterThanOrEqual(3);
    for (const v of published) {
      expect(v.status).toBe("Valid");
      expect(v.doi).toBe(`10.80507/dandi.${String(v.dandisetId).padStart(6, "0")}/${v.version}`);
    }
    // The first dandiset was published twice; its second version has one more file.
    const firstVersions = dandisets[0]!.versions.filter((v) => v.version !== "draft");
    expect(firstVersions.map((v) => Number(v.assetCount))).toEqual([7, 8]);
    const embargoed = dandisets.filter((d) => d.embargoStatus === "EMBARGOED");
    expect(embargoed).toHaveLength(1);
    expect(Number(embargoed[0]!.versions[0]!.assetCount)).toBeGreaterThan(0);
    expect(new Set(dandisets.map((d) => d.starCount)).size).toBeGreaterThan(3);

    const assets = await prisma.asset.findMany({ include: { blob: true } });
    expect(assets.every((a) => a.status === "Valid")).toBe(true);
    const paths = new Set(assets.map((a) => a.path));
    for (const p of [
      "sub-mouse01/sub-mouse01_ses-01_ecephys.nwb",
      "sub-mouse02/sub-mouse02_ses-02_ecephys.nwb",
      "README.md",
      "participants.tsv",
      "derivatives/figures/summary.png",
      "code/analysis-parameters.json",
    ]) {
      expect(paths, p).toContain(p);
    }
    // Each blob in storage is the file its digests describe (what the CLI checks after a download).
    for (const asset of assets.filter((a, i) => i % 10 === 0 || a.path.endsWith(".png"))) {
      const stream = await ctx.deps.storage.getObjectStream(asset.blob!.key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      expect(bytes.length).toBe(Number(asset.blob!.size));
      expect(createHash("sha256").update(bytes).digest("hex")).toBe(asset.blob!.sha256);
      expect(computeDandiEtag(bytes)).toBe(asset.blob!.etag);
      if (asset.path.endsWith(".nwb")) expect(bytes.subarray(0, 8)).toEqual(Buffer.from("\x89HDF\r\n\x1a\n", "latin1"));
      if (asset.path.endsWith(".png")) expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    }
    const nwb = assets.find((a) => a.path === "sub-mouse01/sub-mouse01_ses-01_ecephys.nwb")!;
    expect(nwb.metadata).toMatchObject({
      encodingFormat: "application/x-nwb",
      wasAttributedTo: [
        { schemaKey: "Participant", identifier: "mouse01", species: { name: "Mus musculus - House mouse" } },
      ],
    });
    const draft = dandisets[0]!.versions.find((v) => v.version === "draft")!;
    expect(draft.metadata).toMatchObject({
      assetsSummary: {
        numberOfSubjects: 2,
        species: [{ name: "Mus musculus - House mouse" }],
        dataStandard: expect.arrayContaining([expect.objectContaining({ name: "Neurodata Without Borders (NWB)" })]),
      },
    });

    // Users in every review state, with readable audit records of the reviews.
    const users = await prisma.user.findMany();
    expect(new Set(users.map((u) => u.status))).toEqual(new Set(["APPROVED", "PENDING", "INCOMPLETE", "REJECTED"]));
    expect(users.find((u) => u.email === "sam.haddad@example.edu")).toMatchObject({
      status: "PENDING",
      questionnaire: { usage: expect.any(String) },
    });
    expect(await prisma.auditRecord.count({ where: { recordType: "change_user_status" } })).toBe(2);

    // The printed passwords sign in; anonymous lists show the open dandisets over several pages.
    await request(ctx.app)
      .post("/api/auth/login/")
      .set("Origin", "http://web.test")
      .send({ email: "demo-admin@example.org", password: "demo-admin-password" })
      .expect(200)
      .expect((res) => expect(res.body).toMatchObject({ admin: true }));
    const page2 = await request(ctx.app).get("/api/dandisets/?page=2&page_size=10&ordering=-stars").expect(200);
    expect(page2.body.count).toBe(DEMO_ARCHIVE.length - 1);
    expect(page2.body.results).toHaveLength(10);

    // A second run adds nothing.
    const counts = async () => [
      await prisma.dandiset.count(),
      await prisma.version.count(),
      await prisma.asset.count(),
    ];
    const before = await counts();
    const again = await manage(["seed-demo", "--full"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/Created|added \d+ files|published 0\./);
    expect(await counts()).toEqual(before);
  });

  it("npm run manage in a fresh shell reads the repository's .env and the development defaults", async () => {
    // A copy of scripts/ next to the real apps/, so that its .env is this test's alone.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-manage-root-"));
    await fs.cp(path.join(REPO, "scripts"), path.join(root, "scripts"), { recursive: true });
    await fs.symlink(path.join(REPO, "apps"), path.join(root, "apps"));
    await fs.writeFile(path.join(root, ".env"), `# like a developer's .env\nDATABASE_URL=${ctx.config.DATABASE_URL}\n`);
    try {
      // No DATABASE_URL, SESSION_SECRET or NODE_ENV in the environment: .env and dev.sh's defaults supply them.
      const run = await promisify(execFile)(
        process.execPath,
        [path.join(root, "scripts/manage.mjs"), "create-user", "--email", "fresh@example.org", "--status", "APPROVED"],
        { env: { PATH: process.env.PATH ?? "", HOME: os.homedir(), LOG_LEVEL: "silent" } },
      );
      expect(run.stdout).toContain("Created user fresh@example.org");
      expect(await ctx.prisma.user.findUnique({ where: { email: "fresh@example.org" } })).not.toBeNull();
      const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, "scripts/lib/dev-env.mjs")], {
        env: { PATH: process.env.PATH ?? "", SESSION_SECRET: "from-the-environment-wins-over-defaults-000" },
      });
      expect(stdout).toContain(`export DATABASE_URL='${ctx.config.DATABASE_URL}'`);
      expect(stdout).toContain(`export LOCAL_STORAGE_DIR='${path.join(root, "var/storage")}'`);
      expect(stdout).toContain("export DANDI_API_URL='http://localhost:8000'");
      expect(stdout).not.toContain("SESSION_SECRET");
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  });

  it("reconcile-storage --dry-run lists an unreferenced blob object and keeps it; without it, deletes it", async () => {
    const key = `blobs/abc/def/abcdef00-${randomUUID().slice(9)}`;
    await ctx.deps.storage.putObject(key, "orphan");
    const env = { LOCAL_STORAGE_DIR: ctx.config.LOCAL_STORAGE_DIR, BLOB_GC_GRACE_SECONDS: "0" };
    await new Promise((r) => setTimeout(r, 1100));
    const dry = await manage(["reconcile-storage", "--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would delete ${key}`);
    expect(dry.stdout).toContain("Dry run: 0 multipart uploads to abort, 1 objects to delete");
    expect(await ctx.deps.storage.headObject(key)).not.toBeNull();
    const real = await manage(["reconcile-storage"], env);
    expect(real.stdout).toContain(`delete ${key}`);
    expect(real.stdout).toContain("0 multipart uploads aborted, 1 objects deleted");
    expect(await ctx.deps.storage.headObject(key)).toBeNull();
    expect((await ctx.prisma.garbageCollectionEvent.findMany()).map((e) => e.type)).toEqual(["StorageObject"]);
  });
});
