import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const REPO = path.resolve(import.meta.dirname, "../..");

/** A Procfile line as its environment assignments and its argv (`node` replaced by this node). */
export function procfileCommand(processType: string): { env: Record<string, string>; argv: string[] } {
  const line = fs
    .readFileSync(path.join(REPO, "Procfile"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${processType}:`));
  if (!line) throw new Error(`no ${processType} in the Procfile`);
  const words = line
    .slice(processType.length + 1)
    .trim()
    .split(/\s+/);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [k, ...v] = words.shift()!.split("=");
    env[k!] = v.join("=");
  }
  if (words[0] === "node") words[0] = process.execPath;
  return { env, argv: words };
}

/** VmRSS and VmHWM (the peak) of a process, in MiB. */
export function readProcessRss(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) / 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

export { REPO };

/** One line of the worker's pino log (a line that is not JSON becomes its `msg`). */
export interface WorkerLogEntry {
  msg: string;
  time: number;
  [field: string]: unknown;
}

export interface BuiltWorker {
  child: ChildProcess;
  /** The Procfile line it was started from. */
  command: { env: Record<string, string>; argv: string[] };
  /** The first log entry from now on that matches; rejects if the worker exits first or `match` throws. */
  waitForLog(match: (entry: WorkerLogEntry) => boolean): Promise<WorkerLogEntry>;
}

/** Settings the worker's config requires but whose values a bench never exercises. */
const REQUIRED_SETTINGS = {
  SESSION_SECRET: "bench-secret-that-is-long-enough-0123456789",
  DANDI_API_URL: "http://localhost:8000",
  DANDI_WEB_APP_URL: "http://localhost:8085",
};

/**
 * Starts the built worker exactly as a Procfile line does (its environment
 * assignments, program and node flags), plus `env` (database, Redis, storage),
 * logging JSON at info level to a pipe that `waitForLog` reads.
 */
export function startBuiltWorker(processType: string, env: Record<string, string>): BuiltWorker {
  const command = procfileCommand(processType);
  const [program, ...args] = command.argv;
  const child = spawn(program!, args, {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      ...command.env,
      LOG_LEVEL: "info",
      ...REQUIRED_SETTINGS,
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const parse = (line: string): WorkerLogEntry => {
    try {
      return JSON.parse(line) as WorkerLogEntry;
    } catch {
      return { msg: line, time: Date.now() };
    }
  };
  return {
    child,
    command,
    waitForLog: (match) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`worker exited (${code})`));
        child.once("exit", onExit);
        const onLine = (line: string) => {
          const entry = parse(line);
          let matched: boolean;
          try {
            matched = match(entry);
          } catch (err) {
            matched = true;
            reject(err as Error);
          }
          if (!matched) return;
          lines.off("line", onLine);
          child.off("exit", onExit);
          resolve(entry);
        };
        lines.on("line", onLine);
      }),
  };
}
