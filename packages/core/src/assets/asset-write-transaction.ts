/**
 * Options of the asset write transactions. Writers of one draft queue on its
 * version row lock while holding a pooled connection, so under bursts (the CLI
 * uploads with 5 threads, several clients at once) waiting for a connection or
 * for the lock can take longer than Prisma's defaults (2 s / 5 s).
 */
export const ASSET_WRITE_TRANSACTION = { maxWait: 15_000, timeout: 30_000 } as const;
