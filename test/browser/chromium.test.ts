/**
 * The browser the other browser tests use: Debian's Chromium, driven by
 * playwright-core, renders a page served on loopback (text, an inline SVG and
 * a PNG image decoded) and takes a screenshot.
 */
import { createServer, type Server } from 'node:http';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser';

// A 1×1 red PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const PAGE = `<!doctype html><html><body><h1>sweeplab</h1>
<svg id="plot" width="40" height="20"><rect width="40" height="20" fill="steelblue"/></svg>
<img id="png" src="data:image/png;base64,${PNG}"></body></html>`;

let server: Server;
let url: string;
let browser: Browser;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe('Chromium for browser tests', () => {
  it('renders a loopback page with an SVG and a decoded PNG, and saves a screenshot', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    expect(await page.textContent('h1')).toBe('sweeplab');
    const svgBox = await page.locator('#plot').boundingBox();
    expect(svgBox?.width).toBe(40);
    const decoded = await page.$eval('#png', (img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);
    expect(decoded).toBe(true);
    const file = join(screenshotDir(), 'chromium-smoke.png');
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeGreaterThan(100);
    console.log(`screenshot: ${file}`);
  });
});
