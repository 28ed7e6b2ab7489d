import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { REPO_ROOT } from "@dandi/core";
import { findFreePort } from "./moto";

const BUILT_ENTRIES = {
  api: path.join(REPO_ROOT, "apps", "api", "dist", "server.js"),
  worker: path.join(REPO_ROOT, "apps", "worker", "dist", "main.js"),
} as const;

/** The sources a bundle is built from: the app's own and the workspace packages it inlines. */
const SOURCE_DIRS = (app: string) =>
  [`apps/${app}/src`, "packages/core/src", "packages/db/src", "packages/jobs/src", "packages/shared/src"].map((d) =>
    path.join(REPO_ROOT, d),
  );

function newestMtime(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The built entry point of `apps/<app>` (what the Procfile runs), building it with
 * `pnpm --filter @dandi/<app> build` first when it is missing or older than its sources.
 */
export function ensureBuilt(app: keyof typeof BUILT_ENTRIES): string {
  const entry = BUILT_ENTRIES[app];
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  if (SOURCE_DIRS(app).some((d) => newestMtime(d) > built)) {
    execFileSync("pnpm", ["--filter", `@dandi/${app}`, "build"], { cwd: REPO_ROOT, stdio: "pipe" });
  }
  return entry;
}

/** One line of a process's pino log (a line that is not JSON becomes its `msg`). */
export interface LogEntry {
  msg: string;
  [field: string]: unknown;
}

export interface BuiltProcess {
  child: ChildProcess;
  pid: number;
  /** Every log line so far. */
  logs: LogEntry[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** The first log entry (so far or from now on) that matches; rejects when the process exits first. */
  waitForLog(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** SIGTERM to the process group, as Heroku signals every process of a dyno. */
  terminate(): void;
  /** SIGKILL to the process group (cleanup). */
  kill(): void;
}

/**
 * Starts `node <entry>` in its own process group with exactly `env` (plus PATH and
 * HOME), logging JSON at info level to a pipe that `waitForLog` reads.
 */
export function startBuiltProcess(entry: string, env: Record<string, string>): BuiltProcess {
  const child = spawn(process.execPath, ["--enable-source-maps", entry], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const logs: LogEntry[] = [];
  const waiters = new Set<() => void>();
  const onLine = (line: string) => {
    let entry: LogEntry;
    try {
      entry = JSON.parse(line) as LogEntry;
    } catch {
      entry = { msg: line };
    }
    logs.push(entry);
    for (const w of waiters) w();
  };
  readline.createInterface({ input: child.stdout! }).on("line", onLine);
  readline.createInterface({ input: child.stderr! }).on("line", onLine);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    child,
    pid: child.pid!,
    logs,
    exited,
    terminate: () => signalGroup("SIGTERM"),
    kill: () => signalGroup("SIGKILL"),
    waitForLog: (match, timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        let done = false;
        const finish = (fn: () => void) => {
          if (done) return;
          done = true;
          waiters.delete(check);
          clearTimeout(timer);
          fn();
        };
        const check = () => {
          const found = logs.find(match);
          if (found) finish(() => resolve(found));
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`no matching log line in ${timeoutMs} ms:\n${tail(logs)}`))),
          timeoutMs,
        );
        void exited.then((code) => finish(() => reject(new Error(`process exited (${code}):\n${tail(logs)}`))));
        waiters.add(check);
        check();
      }),
  };
}

function tail(logs: LogEntry[]): string {
  return logs
    .slice(-15)
    .map((l) => l.msg + (l.err ? ` ${JSON.stringify(l.err)}` : ""))
    .join("\n");
}

/** A throwaway Redis on a free port (never the shared one), for tests that take Redis down. */
export async function startThrowawayRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await findFreePort();
  execFileSync("redis-server", [
    ...["--port", String(port), "--bind", "127.0.0.1"],
    ...["--save", "", "--appendonly", "no", "--daemonize", "yes"],
  ]);
  const cli = (...args: string[]) => execFileSync("redis-cli", ["-p", String(port), ...args], { stdio: "pipe" });
  for (let i = 0; ; i++) {
    try {
      cli("ping");
      break;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      try {
        cli("shutdown", "nosave");
      } catch {
        // already down
      }
    },
  };
}
