import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import request from "supertest";
import { createTestContext } from "../../test/context";
import { DEMO_DANDISETS } from "./commands/demo-dandisets";

const ctx = await createTestContext();
const API_DIR = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(API_DIR, "node_modules/.bin/tsx");
const MAIN = path.join(API_DIR, "src/manage/main.ts");

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

  it("seed-demo creates schema-valid demo dandisets once", async () => {
    const first = await manage(["seed-demo"]);
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain("schema warning");
    const second = await manage(["seed-demo"]);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain("Created dandiset");

    const demo = await ctx.prisma.user.findUniqueOrThrow({ where: { email: "demo@example.org" } });
    expect(demo.status).toBe("APPROVED");
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
