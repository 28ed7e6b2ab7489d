import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildBlob,
  createWorkerTestContext,
  sha256Of,
  startTestWorker,
  waitForIdle,
  type WorkerTestContext,
} from "./context";

// Heroku Redis speaks TLS with a self-signed certificate: a real redis-server with one, and the
// API's job client and a worker talking to it only through a rediss:// URL.
let redis: ChildProcess;
let ctx: WorkerTestContext;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dandi-rediss-"));

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => resolve(true)).on("error", () => resolve(false));
      socket.unref();
      setTimeout(() => socket.destroy(), 200);
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not listen on ${port}`);
}

beforeAll(async () => {
  const [cert, key] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=redis"].concat([
      "-keyout",
      key,
      "-out",
      cert,
    ]),
    { stdio: "ignore" },
  );
  const port = await freePort();
  redis = spawn(
    "redis-server",
    ["--port", "0", "--tls-port", String(port), "--tls-cert-file", cert, "--tls-key-file", key].concat([
      "--tls-auth-clients",
      "no",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ]),
    { stdio: "ignore" },
  );
  // Registered before the context's own afterAll, so it runs after it (hooks run in reverse order).
  afterAll(() => {
    redis.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await waitForPort(port);
  ctx = await createWorkerTestContext({ REDIS_URL: `rediss://127.0.0.1:${port}` });
  await startTestWorker(ctx.deps, ["checksum", "default"]);
});

describe("rediss://", () => {
  it("queues and runs jobs over TLS with a self-signed certificate", async () => {
    const content = Buffer.from("over TLS");
    const blob = await buildBlob(ctx.deps, content);
    await ctx.deps.jobs.enqueue("computeBlobSha256", { blobId: blob.id.toString() });
    await waitForIdle(ctx.deps);
    expect((await ctx.prisma.assetBlob.findUniqueOrThrow({ where: { id: blob.id } })).sha256).toBe(sha256Of(content));
    // The same server refuses plain connections: the jobs above really went over TLS.
    const port = new URL(ctx.config.REDIS_URL).port;
    const plain = await new Promise<string>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.write("PING\r\n"));
      socket.once("data", (d) => resolve(d.toString()));
      socket.once("close", () => resolve("closed"));
      socket.once("error", () => resolve("error"));
    });
    expect(plain).not.toContain("PONG");
  });
});
