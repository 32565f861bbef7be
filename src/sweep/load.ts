/**
 * loadSweepFile: a sweep file on disk → a LoadedSweep. The file is TypeScript
 * and is imported as a module (the CLI runs under tsx, tests under vitest, both
 * of which compile it), so a sweep file can compute its parameters with code.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDefinedSweep } from './define';
import { SweepInputError } from './errors';
import { loadFailure } from './load-failure';
import type { FamilyCatalogue } from './catalogue';
import type { LoadedSweep } from './loaded-sweep';
import { resolveSweep } from './resolve';

export { resolveSweep } from './resolve';
export type { LoadedSweep } from './loaded-sweep';

export interface LoadOptions {
  /** The families a sweep may name (src/experiments/registry.ts: familyCatalogue). */
  readonly catalogue: FamilyCatalogue;
  /** A preset of the sweep; omitted or null for the base sweep. */
  readonly preset?: string | null;
  /** `submit --rerun`'s nonce (see ResolveOptions). */
  readonly rerun?: string | null;
}

/** What messages call the file: relative to the working directory when it is inside it. */
export function displayPath(absolutePath: string): string {
  const rel = relative(process.cwd(), absolutePath);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolutePath;
}

export async function loadSweepFile(path: string, options: LoadOptions): Promise<LoadedSweep> {
  const absolutePath = resolve(path);
  const file = displayPath(absolutePath);
  if (!existsSync(absolutePath)) throw new SweepInputError(file, '', 'no such file');
  if (!statSync(absolutePath).isFile()) throw new SweepInputError(file, '', 'not a file');

  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolutePath).href)) as { default?: unknown };
  } catch (error) {
    if (error instanceof SweepInputError) throw error;
    throw loadFailure(error, absolutePath, file);
  }

  if (module.default === undefined) {
    throw new SweepInputError(file, 'default export', 'missing (write `export default defineSweep({ ... })`)');
  }
  if (!isDefinedSweep(module.default)) {
    throw new SweepInputError(file, 'default export', `not a defineSweep({ ... }) result (got ${describeExport(module.default)})`);
  }
  return resolveSweep(module.default, { file, catalogue: options.catalogue, preset: options.preset ?? null, rerun: options.rerun ?? null });
}

function describeExport(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function: export the sweep, not a function that makes one';
  if (typeof (value as { then?: unknown } | undefined)?.then === 'function') return 'a promise: export the sweep itself';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a plain object: wrap it in defineSweep({ ... })' : `a ${typeof value}`;
}
