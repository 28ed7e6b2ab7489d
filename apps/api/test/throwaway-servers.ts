import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "@dandi/core";
import { findFreePort } from "@dandi/testing";

/**
 * Fault-injection servers of a test's own: a redis-server or a PostgreSQL cluster on a random
 * port that the test may kill and start again (never the shared ones other suites use).
 */

/** Resolves once something accepts TCP connections on the port (or rejects after `timeoutMs`). */
export async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ThrowawayRedis {
  port: number;
  url: string;
  /** Starts redis-server on the port (no persistence); resolves once it accepts connections. */
  start(): Promise<void>;
  /** SIGKILL: the connection drops as in a crash or a failover. */
  kill(): Promise<void>;
}

/** A redis-server of the test's own on a free port; not started until `start()`. */
export async function throwawayRedis(): Promise<ThrowawayRedis> {
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      await waitForPort(port);
    },
    async kill() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      child = undefined;
    },
  };
}

export interface ThrowawayPostgres {
  port: number;
  /** DATABASE_URL of the migrated database `dandi`. */
  url: string;
  start(): Promise<void>;
  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), then connections refused. */
  stop(): void;
  /** Stops the server and removes its data folder. */
  destroy(): void;
}

function pgBin(name: string): string | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs.readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const p = path.join(base, v, "bin", name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** True when this machine can run a PostgreSQL cluster of a test's own (initdb + pg_ctl). */
export function canRunThrowawayPostgres(): boolean {
  return pgBin("initdb") !== null && pgBin("pg_ctl") !== null;
}

/**
 * A PostgreSQL cluster of the test's own (initdb in a temp folder, trust auth, a free port),
 * started, with a database `dandi` migrated by the real `prisma migrate deploy`. As root the
 * server runs as the `postgres` user (PostgreSQL refuses to run as root).
 */
export async function throwawayPostgres(): Promise<ThrowawayPostgres> {
  const port = await findFreePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dandi-throwaway-pg-"));
  const data = path.join(dir, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const run = (bin: string, args: string[]) =>
    execFileSync(asRoot ? "runuser" : bin, asRoot ? ["-u", "postgres", "--", bin, ...args] : args, { stdio: "pipe" });
  run(pgBin("initdb")!, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const pgCtl = pgBin("pg_ctl")!;
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const server: ThrowawayPostgres = {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/dandi`,
    async start() {
      run(pgCtl, ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "start"]);
      await waitForPort(port);
    },
    stop() {
      run(pgCtl, ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    destroy() {
      try {
        server.stop();
      } catch {
        // not running
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  execFileSync(pgBin("createdb") ?? "createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "dandi"]);
  execFileSync("pnpm", ["--filter", "@dandi/db", "run", "migrate:deploy"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: server.url },
    stdio: "pipe",
  });
  return server;
}
