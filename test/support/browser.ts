/**
 * A real Chromium for browser tests: Debian's `chromium` package (installed by
 * infra/setup.sh) driven by playwright-core, headless. No browser download: a
 * test tool's own download fails on an air-gapped machine, and the system
 * browser is what a researcher opens the web UI and reports with.
 *
 * The flags keep it off the network (background networking, component
 * updates, sync) and sandboxless as root; playwright gives each launch a fresh profile.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** CHROMIUM_PATH, else Debian's. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  return candidates.find((path) => existsSync(path)) ?? null;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no Chromium: run `bash infra/setup.sh` (Debian package chromium) or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Where browser tests save their screenshots (SWEEP_SCREENSHOT_DIR, else a fresh temp folder); printed by each test. */
export function screenshotDir(): string {
  const dir = process.env.SWEEP_SCREENSHOT_DIR ?? join(tmpdir(), 'sweeplab-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
