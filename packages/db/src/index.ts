import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "../generated/client/index.js";

export { Prisma, PrismaClient };
export type * from "../generated/client/index.js";

/** A transaction client or the root client: core functions accept either. */
export type Db = PrismaClient | Prisma.TransactionClient;

export interface CreatePrismaOptions {
  databaseUrl: string;
  /** Pool size of the pg driver behind Prisma. */
  poolSize?: number;
}

/** Creates a Prisma client on the pg driver adapter (Prisma's JavaScript engine). */
export function createPrisma({ databaseUrl, poolSize = 10 }: CreatePrismaOptions): PrismaClient {
  // JIT off for every session: the archive's statements are short, and PostgreSQL
  // compiles once a plan's estimated cost passes jit_above_cost, which a stale row
  // estimate can do for a 1 ms list query (30+ ms of LLVM emission each time).
  // An `options` parameter in DATABASE_URL still takes precedence.
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, options: "-c jit=off" });
  return new PrismaClient({ adapter });
}
