// Sentry first, before Express and the HTTP server load.
import "./instrument";
import { loadConfigOrExit } from "@dandi/core";
import { createApp } from "./app";
import { buildDeps } from "./deps";

const config = loadConfigOrExit();
const deps = await buildDeps(config);
const app = createApp(deps);
const server = app.listen(config.PORT, () => {
  deps.logger.info({ port: config.PORT, api: config.DANDI_API_URL }, "DANDI API listening");
});
server.keepAliveTimeout = 65_000;
// The local backend receives upload parts (up to 5 GiB each) through this server: Node's
// default 300 s limit per request would cut slow part uploads off. Header timeouts stay.
if (config.STORAGE_BACKEND === "local") server.requestTimeout = 0;

// Heroku sends SIGTERM and allows 30 s: stop accepting, finish in-flight requests, close the pool.
async function shutdown(signal: string) {
  deps.logger.info({ signal }, "shutting down");
  server.close(() => {
    void deps.prisma.$disconnect().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(1), 25_000).unref();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
