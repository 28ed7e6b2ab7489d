import { pino, type DestinationStream, type Logger } from "pino";
import type { TConfig } from "../config";
import { redactDeep, redactText } from "./redact";

export interface CreateLoggerOptions {
  config: Pick<TConfig, "LOG_LEVEL">;
  /** Fixed fields of every line, e.g. `{ process: "worker" }`. */
  base?: Record<string, unknown>;
  /** Where lines go (default stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The process logger of the API and the workers: one JSON line per entry on stdout,
 * with secrets removed twice over: secret-named fields (authorization, cookie,
 * password, token...) in logged objects, then every signed URL's signature, token
 * and password in the finished line (messages and serialised errors included).
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const settings = {
    level: options.config.LOG_LEVEL,
    base: { pid: process.pid, ...options.base },
    formatters: { log: (obj: Record<string, unknown>) => redactDeep(obj) },
    hooks: { streamWrite: (line: string) => redactText(line) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
