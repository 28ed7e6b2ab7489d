import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { REPO_ROOT } from "./db";

const SERVER_JS = path.join(REPO_ROOT, "apps", "api", "dist", "server.js");

/** Builds the API bundle once per benchmark run (skipped with BENCH_SKIP_BUILD=1). */
export function buildApi(): void {
  if (process.env.BENCH_SKIP_BUILD === "1" && fs.existsSync(SERVER_JS)) return;
  console.log("building the API (pnpm --filter @dandi/api build) ...");
  execFileSync("pnpm", ["--filter", "@dandi/api", "build"], { cwd: REPO_ROOT, stdio: "pipe" });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One running API process (`node apps/api/dist/server.js`), as in production. */
export interface ApiProcess {
  baseUrl: string;
  pid: number;
  /** Peak resident set size of the process since start or the last resetPeakRss(), bytes. */
  peakRss(): number;
  /** Current resident set size, bytes. */
  rss(): number;
  /** Restarts the kernel's peak-RSS counter (so each endpoint gets its own peak). */
  resetPeakRss(): void;
  stop(): Promise<void>;
}

function statusField(pid: number, field: string): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Starts the API on a free port against `databaseUrl` and waits until
 * /api/info/ answers. Logging is at `warn` so the figures measure the
 * request path rather than the terminal.
 */
export async function startApi(databaseUrl: string, extraEnv: Record<string, string> = {}): Promise<ApiProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const storageDir = fs.mkdtempSync("/tmp/dandi-bench-storage-");
  const child: ChildProcess = spawn(process.execPath, [SERVER_JS], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DANDI_API_URL: baseUrl,
      SESSION_SECRET: "bench-session-secret-0123456789abcdef0123456789",
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? "warn",
      STORAGE_BACKEND: process.env.BENCH_STORAGE_BACKEND ?? "local",
      LOCAL_STORAGE_DIR: storageDir,
      ...extraEnv,
    },
    stdio: ["ignore", "inherit", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the API exited with code ${child.exitCode} before answering:\n${stderr}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/info/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the API did not answer /api/info/ within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    baseUrl,
    pid,
    peakRss: () => statusField(pid, "VmHWM"),
    rss: () => statusField(pid, "VmRSS"),
    resetPeakRss: () => {
      try {
        // "5" resets VmHWM to the current RSS (Linux >= 4.0).
        fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
      } catch {
        // not permitted: the peak then covers the whole run
      }
    },
    stop: async () => {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(storageDir, { recursive: true, force: true });
    },
  };
}
