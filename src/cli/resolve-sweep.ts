/** Finds a sweep named on the command line (by id or by name, latest first), or fails with exit code 2. */
import type { PrismaClient } from '../db/client';
import { findSweep } from '../db/sweeps';
import { UsageError } from './usage-error';

export async function resolveSweep(prisma: PrismaClient, command: string, idOrName: string | undefined) {
  if (!idOrName) throw new UsageError(`sweep ${command}: missing SWEEP (a sweep id or name; \`sweep ls\` lists them)`);
  const sweep = await findSweep(prisma, idOrName);
  if (!sweep) throw new UsageError(`sweep ${command}: no sweep with id or name '${idOrName}' (\`sweep ls\` lists them)`);
  return sweep;
}
