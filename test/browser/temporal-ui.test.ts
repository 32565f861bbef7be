/**
 * The Temporal web UI reads like the sweep, in a real Chromium against the web
 * UI of a real test stack: a finished three-trial sweep is found by filtering
 * the workflow list by SweepName, and its workflow and a trial's show their
 * status and the summaries sweeplab gives them (and the sweep its progress). Screenshots of the list, the
 * sweep and the trial are saved and their paths printed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser';
import { useTestStack } from '../support/stack';
import { runCli } from '../support/workers';

const stack = useTestStack({ workers: [['--slots', '2']] });
/** Generous: the web UI is a single-page app that loads its data after the page, on a busy test machine. */
const TIMEOUT = 15_000;

let browser: Browser;
let sweepId: string;
beforeAll(async () => {
  const [launched, submitted] = await Promise.all([launchChromium(), runCli(['submit', 'test/fixtures/noop-ui.ts', '--wait', '--json'], stack.env)]);
  browser = launched;
  expect(submitted.code, submitted.stderr).toBe(0);
  sweepId = JSON.parse(submitted.stdout.split('\n')[0]!).sweepId;
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function screenshot(page: Page, name: string): Promise<string> {
  const file = join(screenshotDir(), name);
  await page.screenshot({ path: file, fullPage: true });
  expect(statSync(file).size).toBeGreaterThan(10_000);
  console.log(`screenshot: ${file}`);
  return file;
}

/** Opens the tab of a workflow page and waits for its content. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click();
  await page.waitForLoadState('networkidle');
}

/** The text a person sees: the page's and its frames' (the web UI renders a summary's and details' markdown in an iframe each). */
async function visibleText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((frame) => frame.locator('body').innerText().catch(() => '')));
  return texts.join('\n');
}

function waitForText(page: Page, text: string | RegExp): Promise<void> {
  return expect.poll(() => visibleText(page), { timeout: TIMEOUT, interval: 250 }).toMatch(text);
}

describe('the Temporal web UI', () => {
  it('lists the sweep and its trials by SweepName, and shows the status and summaries of the sweep and a trial', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(TIMEOUT);

    // The workflow list, filtered as the query box would: the sweep and its three trials.
    const list = `${stack.temporalUiUrl}/namespaces/default/workflows?query=${encodeURIComponent('SweepName="it-noop-ui"')}`;
    await page.goto(list, { waitUntil: 'networkidle' });
    await expect.poll(() => page.getByTestId('workflow-count').textContent(), { timeout: TIMEOUT }).toBe('4');
    for (const id of [sweepId, ...[0, 1, 2].map((i) => `${sweepId}/trial-${i}`)]) {
      await page.getByRole('link', { name: id, exact: true }).waitFor();
    }
    await screenshot(page, 'temporal-ui-list.png');

    // The finished sweep: completed, its SweepStatus, its summary and its children's.
    await page.getByRole('link', { name: sweepId, exact: true }).click();
    await page.getByRole('heading', { name: sweepId }).waitFor();
    await page.getByText('Completed', { exact: true }).first().waitFor();
    await openTab(page, 'Search Attributes');
    await waitForText(page, '"SweepStatus": "completed"');
    await openTab(page, 'User Metadata');
    await waitForText(page, 'it-noop-ui · noop · 3 trials: value × 1 seed');
    for (const value of [1, 2, 3]) await waitForText(page, `noop · value=${value} · seed 1`);
    await waitForText(page, '3 of 3 trials finished');
    await screenshot(page, 'temporal-ui-sweep.png');

    // One trial: completed, its summary, and details with its key.
    await page.goto(list, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: `${sweepId}/trial-1`, exact: true }).click();
    await page.getByRole('heading', { name: `${sweepId}/trial-1` }).waitFor();
    await page.getByText('Completed', { exact: true }).first().waitFor();
    await openTab(page, 'User Metadata');
    await waitForText(page, 'noop · value=2 · seed 1');
    await waitForText(page, /key: [0-9a-f]{64}/);
    await screenshot(page, 'temporal-ui-trial.png');
    await page.close();
  }, 60_000);
});
