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
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}
