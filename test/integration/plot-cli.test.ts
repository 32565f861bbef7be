/**
 * `sweep plot` against a real Postgres: it writes an SVG and a PNG per plot
 * kind of the sweep's family, one kind with --kind, and refuses an unknown
 * kind with exit code 2, listing the family's kinds.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { decodePng } from '../support/png';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { transferSweep } from '../support/report-sweeps';
import { seedSweep } from '../support/seeded-sweep';
import { runCli } from '../support/workers';

let server: TestPostgres;
let env: Record<string, string>;
let prisma: PrismaClient;
let dir: string;

beforeAll(async () => {
  server = await startTestPostgres();
  const url = await server.database('plot_cli_it');
  await migrateDatabase(url);
  prisma = createPrisma(url);
  await seedSweep(prisma, transferSweep());
  env = { DATABASE_URL: url };
  dir = mkdtempSync(join(tmpdir(), 'sweeplab-plots-'));
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('sweep plot', () => {
  it('writes every kind of the family as SVG and PNG', async () => {
    const out = join(dir, 'all');
    const { code, stdout, stderr } = await runCli(['plot', 'ptu-report', '--out', out], env);
    expect(code, stderr).toBe(0);
    const files = ['accuracy.svg', 'accuracy.png', 'training-curves.svg', 'training-curves.png'].map((f) => join(out, f));
    expect(stdout.trim().split('\n')).toEqual(files);
    expect(readFileSync(files[0]!, 'utf8')).toContain('target test accuracy');
    const png = decodePng(readFileSync(files[1]!));
    expect(png.width).toBeGreaterThan(600);
  });

  it('writes one kind with --kind', async () => {
    const out = join(dir, 'one');
    const { code, stderr } = await runCli(['plot', 'ptu-report', '--kind', 'training-curves', '--out', out], env);
    expect(code, stderr).toBe(0);
    expect(existsSync(join(out, 'training-curves.png'))).toBe(true);
    expect(existsSync(join(out, 'accuracy.png'))).toBe(false);
  });

  it('refuses an unknown kind with exit code 2, naming the flag and listing the kinds', async () => {
    const { code, stderr } = await runCli(['plot', 'ptu-report', '--kind', 'nope', '--out', join(dir, 'none')], env);
    expect(code).toBe(2);
    expect(stderr).toContain("--kind 'nope'");
    expect(stderr).toContain('accuracy');
    expect(stderr).toContain('training-curves');
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });

  it('has --help, as does sweep report', async () => {
    for (const command of ['plot', 'report']) {
      const { code, stdout } = await runCli([command, '--help'], env);
      expect(code, command).toBe(0);
      expect(stdout, command).toMatch(new RegExp(`^Usage: sweep ${command} SWEEP`));
    }
  });

  it('refuses an unknown sweep with exit code 2', async () => {
    const { code, stderr } = await runCli(['plot', 'no-such-sweep'], env);
    expect(code).toBe(2);
    expect(stderr).toContain("no sweep with id or name 'no-such-sweep'");
  });
});
