/**
 * The Prisma client over node-postgres (@prisma/adapter-pg): queries are planned
 * by Prisma's WASM query compiler and run through pg, so no native engine binary
 * is needed anywhere (it could not be downloaded on an air-gapped cluster anyway).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { databaseUrl } from '../config';
import { PrismaClient } from './generated/client';

export { Prisma } from './generated/client';
export type { PrismaClient };

export interface PrismaOptions {
  /**
   * Connections in this process's pool. Each worker process holds one pool and
   * a few queries in flight at a time, so a handful per process keeps a fleet of
   * workers well under Postgres' default max_connections (100).
   */
  poolSize?: number;
}

export function createPrisma(url: string = databaseUrl(), options: PrismaOptions = {}): PrismaClient {
  const poolSize = options.poolSize ?? (Number(process.env.SWEEP_DB_POOL_SIZE) || 5);
  const adapter = new PrismaPg({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
