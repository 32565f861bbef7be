/**
 * A bench's private Python virtual environment, installed from PyPI with
 * pinned versions: made once, and made again when the pins change (the pins
 * are written into the venv, and compared on every run). It is built beside
 * its final place and renamed into it, so an interrupted install never leaves
 * a venv that looks ready.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface VenvSpec {
  /** Where it lives, e.g. ~/.cache/sweeplab/peers-venv. */
  readonly dir: string;
  /** pip requirement strings, each pinned (`name==version`). */
  readonly pins: readonly string[];
  /** Said when it is made, e.g. "the peers venv (Optuna, Ray Tune)". */
  readonly label: string;
  /** Extra words for the "making…" line, e.g. the download size. */
  readonly note?: string;
}

export type VenvPython = { python: string; created: boolean; seconds: number } | { skip: string };

const PINS_FILE = 'sweeplab-pins.txt';

/** The venv's python, made if missing or pinned differently; or why it could not be made. */
export function ensureVenv(spec: VenvSpec, log: (line: string) => void): VenvPython {
  const python = join(spec.dir, 'bin', 'python');
  const marker = join(spec.dir, PINS_FILE);
  const wanted = spec.pins.join('\n');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted && existsSync(python)) return { python, created: false, seconds: 0 };
  const started = performance.now();
  const partial = `${spec.dir}.partial`;
  log(`making ${spec.label} once in ${spec.dir} (${spec.pins.join(' ')}${spec.note ? `; ${spec.note}` : ''})…`);
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(spec.dir), { recursive: true });
  const base = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!base) return { skip: 'no python3 on PATH to make the venv with' };
  const steps: [string, string[]][] = [
    [base, ['-m', 'venv', partial]],
    [join(partial, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', ...spec.pins]],
  ];
  for (const [cmd, cmdArgs] of steps) {
    const run = spawnSync(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) {
      rmSync(partial, { recursive: true, force: true });
      return { skip: `could not make the venv: \`${cmd} ${cmdArgs.join(' ')}\` ${run.error ? run.error.message : `exited ${run.status}`}` };
    }
  }
  writeFileSync(join(partial, PINS_FILE), wanted);
  rmSync(spec.dir, { recursive: true, force: true });
  renameSync(partial, spec.dir);
  const seconds = (performance.now() - started) / 1000;
  log(`made ${spec.label} in ${seconds.toFixed(0)} s`);
  return { python, created: true, seconds };
}
