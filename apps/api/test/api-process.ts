import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, findFreePort } from "@dandi/testing";

export interface ApiProcess {
  url: string;
  databaseUrl: string;
  storageDir: string;
  jobsPrefix: string;
  /** Every stdout line the process wrote so far. */
  stdout(): string[];
  /** The parsed JSON log lines (non-JSON lines are skipped). */
  logLines(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * The real API server (src/server.ts under tsx, so Sentry is set up by instrument.ts as in
 * production) on its own database, local storage folder and job prefix, with `env` on top.
 */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const db = await createTestDatabase();
  const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "dandi-api-proc-"));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const jobsPrefix = `dandi-proc-${path.basename(db.url)}`;
  const apiDir = path.resolve(import.meta.dirname, "..");
  const child: ChildProcess = spawn(path.join(apiDir, "node_modules/.bin/tsx"), ["src/server.ts"], {
    cwd: apiDir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      PORT: String(port),
      DATABASE_URL: db.url,
      SESSION_SECRET: "process-test-session-secret-0123456789abcdef",
      DANDI_API_URL: url,
      DANDI_WEB_APP_URL: "http://web.test",
      STORAGE_BACKEND: "local",
      LOCAL_STORAGE_DIR: storageDir,
      JOBS_PREFIX: jobsPrefix,
      WEB_CONCURRENCY: "1",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (err += c.toString("utf8")));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited (${child.exitCode}): ${err}${out}`);
    try {
      if ((await fetch(`${url}/api/info/`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`API did not start: ${err}${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stdout = () => out.split("\n").filter(Boolean);
  return {
    url,
    databaseUrl: db.url,
    storageDir,
    jobsPrefix,
    stdout,
    logLines: () =>
      stdout().flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      await db.drop();
      await fs.rm(storageDir, { recursive: true, force: true });
    },
  };
}
