import { parseArgs } from "node:util";
import { ApiError, ConfigError, loadConfig } from "@dandi/core";
import { createPrisma } from "@dandi/db";
import { COMMANDS, type ManageContext } from "./commands";
import type { TOptionValues } from "./commands/manage-command";

const USAGE = `Usage: npm run manage -- <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(17)}${c.summary}\n${" ".repeat(19)}${c.usage}`)
  .join("\n")}

Settings come from the environment (see .env.example); DATABASE_URL and SESSION_SECRET are required.`;

/** Turns an ApiError's DRF-shaped body into a readable line. */
function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const body = err.body as unknown;
    if (typeof body === "string") return body;
    if (Array.isArray(body)) return body.join("; ");
    if (body && typeof body === "object") {
      return Object.entries(body)
        .map(([k, v]) => (k === "detail" ? String(v) : `${k}: ${Array.isArray(v) ? v.join(" ") : String(v)}`))
        .join("; ");
    }
  }
  return err instanceof Error ? err.message : String(err);
}

/** Runs one management command; returns the process exit code. */
export async function runManage(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  let values: TOptionValues;
  try {
    ({ values } = parseArgs({ args: rest, options: command.options, strict: true, allowPositionals: false }));
  } catch (err) {
    process.stderr.write(`${name}: ${describeError(err)}\nUsage: npm run manage -- ${name} ${command.usage}\n`);
    return 2;
  }
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const prisma = createPrisma({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
  const ctx: ManageContext = {
    config,
    prisma,
    print: (line) => process.stdout.write(`${line}\n`),
  };
  try {
    await command.run(values, ctx);
    return 0;
  } catch (err) {
    process.stderr.write(`${name} failed: ${describeError(err)}\n`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}

process.exitCode = await runManage(process.argv.slice(2), process.env);
