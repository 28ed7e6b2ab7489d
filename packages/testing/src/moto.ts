import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { REPO_ROOT } from "@dandi/core";

/** A free TCP port on 127.0.0.1 (the OS picks one; it is free until someone else binds it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  endpoint: string;
  bucket: string;
  /** Settings for createTestContext / loadConfig that point the archive at this server. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Spawns a command; resolves null when it cannot start (not installed) or exits at once. */
function trySpawn(command: string, args: string[]): Promise<ChildProcess | null> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "ignore" });
    const timer = setTimeout(() => resolve(child), 300);
    const fail = () => {
      clearTimeout(timer);
      resolve(null);
    };
    child.once("error", fail);
    child.once("exit", fail);
  });
}

/**
 * moto_server from PATH, else the repository's .venv (which `pnpm test` and
 * .ci/run create), else `python3 -m moto.server`.
 */
async function launch(port: number): Promise<ChildProcess> {
  const args = ["-H", "127.0.0.1", "-p", String(port)];
  const candidates: [string, string[]][] = [
    ["moto_server", args],
    [path.join(REPO_ROOT, ".venv", "bin", "moto_server"), args],
    ["python3", ["-m", "moto.server", ...args]],
  ];
  for (const [command, argv] of candidates) {
    const child = await trySpawn(command, argv);
    if (child) return child;
  }
  throw new Error("moto_server is not installed (pip install 'moto[server]')");
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto_server did not answer at ${endpoint}`);
      if (child.exitCode !== null) throw new Error("moto_server exited before answering");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Starts a private moto_server (a real HTTP endpoint speaking the S3 API) on a
 * free loopback port, with one fresh bucket. Call `stop()` in afterAll.
 */
export async function startMotoServer(): Promise<MotoServer> {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = await launch(port);
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  try {
    await waitUntilAnswering(endpoint, child, 30_000);
  } catch (err) {
    kill();
    throw err;
  }
  const bucket = `dandi-test-${randomBytes(4).toString("hex")}`;
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return {
    endpoint,
    bucket,
    env: {
      STORAGE_BACKEND: "s3",
      S3_BUCKET: bucket,
      S3_ENDPOINT_URL: endpoint,
      S3_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stop: async () => {
      process.removeListener("exit", kill);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      kill();
      await exited;
    },
  };
}
