/**
 * `sweep report` end to end: sweeps written into a real Postgres as workers
 * would leave them, the report written by the CLI, then opened in Chromium:
 * every table has rows, every plot is an inline SVG drawn at a real size with
 * its marks, the failed trials and the reproducibility record are there, and
 * the page asks for nothing but itself. A full-page screenshot is saved.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../../src/db/client';
import { migrateDatabase } from '../../src/db/migrate';
import { families } from '../../src/experiments/registry';
import { launchChromium, screenshotDir } from '../support/browser';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { corruptionSweep, transferSweep } from '../support/report-sweeps';
import { seedSweep, type SeededSweep } from '../support/seeded-sweep';
import { runCli } from '../support/workers';

let server: TestPostgres;
let databaseUrl: string;
let prisma: PrismaClient;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  server = await startTestPostgres();
  databaseUrl = await server.database('report_browser');
  await migrateDatabase(databaseUrl);
  prisma = createPrisma(databaseUrl);
  browser = await launchChromium();
  dir = mkdtempSync(join(tmpdir(), 'sweeplab-report-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await prisma?.$disconnect();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

const sweeps: [string, () => SeededSweep][] = [
  ['transfer', transferSweep],
  ['corruption', corruptionSweep],
];

describe('sweep report in Chromium', () => {
  it.each(sweeps)('the %s report shows every table and plot, the failures and the record, loading nothing', async (family, make) => {
    const sweep = make();
    await seedSweep(prisma, sweep);
    const file = join(dir, `${sweep.name}.html`);
    const { code, stdout, stderr } = await runCli(['report', sweep.name, '--out', file], { DATABASE_URL: databaseUrl });
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe(file);
    const html = readFileSync(file, 'utf8');
    // Self-contained: nothing that would fetch (scripts, stylesheets, images by URL, fonts).
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(https?:|src="http/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(file).href);
    expect(requests).toEqual([pathToFileURL(file).href]);

    // Tables: each has a header and rows with filled cells.
    const tables = await page.$$eval('.report-table table', (nodes) =>
      nodes.map((t) => ({
        rows: t.querySelectorAll('tbody tr').length,
        filled: [...t.querySelectorAll('tbody td')].filter((td) => (td.textContent ?? '').trim() !== '' && (td.textContent ?? '').trim() !== '–').length,
      })),
    );
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) {
      expect(table.rows).toBeGreaterThan(0);
      expect(table.filled).toBeGreaterThan(table.rows);
    }

    // Plots: one figure per plot kind of the family, each an inline SVG drawn at a real size, with lines or bars and text.
    const kinds = (families[family as keyof typeof families] as { plots?: readonly { name: string }[] }).plots ?? [];
    const figures = page.locator('figure.report-plot');
    expect(await figures.count()).toBe(kinds.length);
    expect(await page.locator('text=Not drawn').count()).toBe(0);
    for (let i = 0; i < kinds.length; i++) {
      const svg = figures.nth(i).locator('svg').first();
      await svg.scrollIntoViewIfNeeded();
      const box = await svg.boundingBox();
      expect(box?.width, kinds[i]!.name).toBeGreaterThan(300);
      expect(box?.height, kinds[i]!.name).toBeGreaterThan(200);
      const drawn = await svg.evaluate((node) => ({
        marks: node.querySelectorAll('.role-mark path').length,
        texts: [...node.querySelectorAll('text')].map((t) => t.textContent).filter(Boolean).length,
        // Chromium's own layout of the plot: a mark with a real extent, not just elements in the DOM.
        widest: Math.max(...[...node.querySelectorAll('.role-mark path')].map((p) => (p as unknown as { getBBox(): { width: number } }).getBBox().width)),
      }));
      expect(drawn.marks, kinds[i]!.name).toBeGreaterThan(0);
      expect(drawn.texts, kinds[i]!.name).toBeGreaterThan(5);
      expect(drawn.widest, kinds[i]!.name).toBeGreaterThan(10);
    }
    // Ids stay unique with several plots inline (clip paths would cross otherwise).
    const ids = await page.$$eval('[id]', (nodes) => nodes.map((n) => n.id));
    expect(new Set(ids).size).toBe(ids.length);

    // Failures with their reasons, and the reproducibility record.
    const failures = await page.$$eval('table.failures tbody tr', (rows) => rows.map((r) => r.textContent ?? ''));
    const expectedFailures = sweep.trials.filter((t) => t.outcome.status === 'failed' || t.outcome.status === 'error');
    expect(failures).toHaveLength(expectedFailures.length);
    for (const trial of expectedFailures) {
      const firstLine = (trial.outcome as { message: string }).message.split('\n')[0]!;
      expect(failures.some((row) => row.includes(firstLine))).toBe(true);
    }
    const record = (await page.textContent('#reproducibility')) ?? '';
    for (const expected of ['abc1234', 'tensorflow', '2.16.2', 'CPU, 2 threads', process.version, 'vega-lite', 'median']) expect(record).toContain(expected);
    expect((await page.textContent('#spec')) ?? '').toContain(`"name": "${sweep.name}"`);

    const shot = join(screenshotDir(), `report-${family}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    console.log(`screenshot: ${shot}`);
    await page.close();
  });
});
