/**
 * Dependencies point one way: the folder-level import rules of README.md's
 * "Layout" section, checked over every module of src/ (type imports included:
 * a type import is a dependency of the code's meaning, if not of its bundle).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Folder (or top-level module) → what it may import. Every other edge is refused. */
const ALLOWED: Record<string, readonly string[]> = {
  sweep: [],
  experiments: ['sweep', 'config', 'ts-runtime'],
  contracts: ['sweep', 'db', 'experiments'],
  db: ['sweep', 'results', 'config', 'experiments', 'contracts'],
  results: ['sweep'],
  workflows: ['sweep', 'contracts'],
  activities: ['contracts', 'experiments', 'db', 'sweep', 'ts-runtime', 'config'],
  client: ['workflows', 'contracts', 'db', 'sweep', 'config', 'connection'],
  stack: ['client', 'db', 'config', 'connection', 'ts-runtime'],
  worker: ['activities', 'contracts', 'db', 'config', 'connection'],
  cli: ['client', 'stack', 'worker', 'db', 'results', 'experiments', 'sweep', 'workflows', 'contracts', 'config', 'connection'],
  connection: ['config'],
  config: [],
  'ts-runtime': [],
};

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : modules(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** 'experiments/train/index.ts' → 'experiments'; 'config.ts' → 'config'. */
function areaOf(path: string): string {
  const [first] = relative(SRC, path).split('/');
  return first!.replace(/\.ts$/, '');
}

const edges = new Map<string, Set<string>>();
const offending: string[] = [];
for (const file of modules(SRC)) {
  const from = areaOf(file);
  const text = readFileSync(file, 'utf8');
  for (const [, specifier] of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms)) {
    const target = normalize(join(dirname(file), specifier!));
    if (relative(SRC, target).startsWith('..')) continue;
    const to = areaOf(target);
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from)!.add(to);
    if (!(ALLOWED[from] ?? []).includes(to)) offending.push(`${relative(SRC, file)} imports ${specifier} (${from} → ${to})`);
  }
}

describe('import rules of src/', () => {
  it('every area of src/ has a rule (and the scan sees the imports)', () => {
    expect([...edges.keys()].filter((area) => !(area in ALLOWED))).toEqual([]);
    expect(edges.get('cli')?.size).toBeGreaterThan(5);
  });

  it('no module imports what its area may not', () => {
    expect(offending).toEqual([]);
  });

  it('the sweep language imports nothing else in src/', () => {
    expect([...(edges.get('sweep') ?? [])]).toEqual([]);
  });

  it('there are no cycles between areas', () => {
    const cycles: string[] = [];
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      [...(edges.get(from) ?? [])].some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    for (const [from, targets] of edges) for (const to of targets) if (reaches(to, from)) cycles.push(`${from} ⇄ ${to}`);
    expect(cycles).toEqual([]);
  });
});
