/**
 * Finds the Temporal CLI (whose `server start-dev` is the local Temporal
 * server with SQLite persistence and the web UI), building it with Go when it
 * is missing. No npm package ships a Temporal server, and the test SDK's
 * download of one fails on an air-gapped machine; a Go module proxy is reachable
 * wherever Go is installed, so we build the pinned CLI once into a cache outside
 * the checkout that every clone on the machine reuses.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Newest CLI tag that `go install` accepts (later ones have replace directives); Server 1.29.1, UI 2.42.1. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** SWEEP_CACHE_DIR (default ~/.cache/sweeplab)/bin, as infra/native-tensorflow.mjs and infra/setup.sh place the per-machine cache. */
export function sweeplabCacheBin(): string {
  const cache = process.env.SWEEP_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'sweeplab');
  return join(cache, 'bin');
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** SWEEP_TEMPORAL_BIN, then our cache, then `temporal` on PATH. */
export function findTemporalBinary(): string | null {
  const explicit = process.env.SWEEP_TEMPORAL_BIN;
  if (explicit) return existsSync(explicit) ? explicit : null;
  const cached = join(sweeplabCacheBin(), 'temporal');
  if (existsSync(cached)) return cached;
  return onPath('temporal');
}

export const TEMPORAL_INSTALL_HELP = [
  'The local stack needs the Temporal CLI, and neither it nor Go was found.',
  'Either install Go 1.25+ (e.g. `apt-get install golang` on a recent Debian, or from your cluster\'s modules) and rerun —',
  `sweeplab then builds it with \`go install ${TEMPORAL_CLI_MODULE}\` into ${sweeplabCacheBin()} —`,
  'or put a `temporal` binary on PATH (or point SWEEP_TEMPORAL_BIN at one),',
  'or skip the local server: set TEMPORAL_ADDRESS to an existing Temporal cluster.',
].join('\n');

/** Returns the CLI's path, building it first if needed. */
export function ensureTemporalBinary(log: (line: string) => void = () => undefined): string {
  const found = findTemporalBinary();
  if (found) return found;
  const go = onPath('go');
  if (!go) throw new Error(TEMPORAL_INSTALL_HELP);
  const bin = sweeplabCacheBin();
  mkdirSync(bin, { recursive: true });
  log(`building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into ${bin}; this takes a few minutes, once per machine`);
  const result = spawnSync(go, ['install', '-ldflags', '-s -w', TEMPORAL_CLI_MODULE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // Pure Go, as the vendor's own release builds it (SQLite is modernc.org/sqlite).
    env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0' },
  });
  const built = join(bin, 'temporal');
  if (result.status !== 0 || !existsSync(built)) {
    throw new Error(`building the Temporal CLI failed (go install exited ${result.status}); ${TEMPORAL_INSTALL_HELP}`);
  }
  return built;
}

export function temporalVersion(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}
