// Sentry first, before Express and the HTTP server load.
import "./instrument";
import cluster from "node:cluster";
import * as Sentry from "@sentry/node";
import { loadConfigOrExit } from "@dandi/core";
import { runClusterPrimary } from "./cluster-primary";
import { createApp } from "./app";
import { buildDeps } from "./deps";

const config = loadConfigOrExit();
if (cluster.isPrimary && config.WEB_CONCURRENCY > 1) {
  runClusterPrimary(config);
} else {
  await serve();
}

/** One API process: the whole web dyno when WEB_CONCURRENCY=1, else one cluster worker. */
async function serve() {
  const deps = await buildDeps(config);
  const app = createApp(deps);
  const server = app.listen(config.PORT, () => {
    deps.logger.info({ port: config.PORT, api: config.DANDI_API_URL }, "DANDI API listening");
  });
  server.keepAliveTimeout = 65_000;
  // The local backend receives upload parts (up to 5 GiB each) through this server: Node's
  // default 300 s limit per request would cut slow part uploads off. Header timeouts stay.
  if (config.STORAGE_BACKEND === "local") server.requestTimeout = 0;

  // Heroku sends SIGTERM and SIGKILL 30 s later: stop accepting, let in-flight requests finish
  // (up to SHUTDOWN_TIMEOUT), close idle keep-alive connections, then close the pools.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    deps.logger.info({ signal }, "shutting down");
    let cutOff = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // A keep-alive connection between two requests would hold close() up: end each one as it goes idle.
    server.closeIdleConnections();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      cutOff = true;
      deps.logger.warn("in-flight requests still running at SHUTDOWN_TIMEOUT; closing their connections");
      server.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT * 1000);
    // Last resort if a pool never closes: exit before the platform's SIGKILL.
    setTimeout(() => process.exit(1), (config.SHUTDOWN_TIMEOUT + 3) * 1000).unref();
    await closed;
    clearInterval(idle);
    clearTimeout(deadline);
    await Promise.allSettled([deps.prisma.$disconnect(), deps.sessions.close(), deps.jobs.close()]);
    deps.mailer.close();
    await Sentry.flush(2000);
    deps.logger.info({ ms: Date.now() - started, cutOff }, "stopped");
    process.exit(cutOff ? 1 : 0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
