import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";

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

function launch(port: number): ChildProcess {
  const args = ["-H", "127.0.0.1", "-p", String(port)];
  const child = spawn("moto_server", args, { stdio: "ignore" });
  // No moto_server on PATH: the same server as a Python module.
  child.on("error", () => undefined);
  return child;
}

async function waitUntilAnswering(endpoint: string, child: () => ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto_server did not answer at ${endpoint}`);
      if (child().exitCode !== null) throw new Error("moto_server exited before answering");
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
  let child = launch(port);
  await new Promise((r) => setTimeout(r, 50));
  if (child.exitCode !== null || child.pid === undefined) {
    child = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  }
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  try {
    await waitUntilAnswering(endpoint, () => child, 30_000);
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
