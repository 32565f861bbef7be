/**
 * The versions of the installed packages that decide a sweep's numbers and
 * their presentation, read from their package.json in node_modules (what is
 * installed, not what package.json asks for).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Training (tfjs and its backends), orchestration, storage, MILP, validation, plotting. */
export const KEY_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-wasm',
  '@temporalio/worker',
  '@prisma/client',
  'highs',
  'zod',
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
] as const;

/** Node's lookup: node_modules/<name>/package.json in this folder or the nearest one above it that has it. */
function packageJsonOf(name: string, from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/** Each package's installed version, or null when it is not installed (an optional backend, say). */
export function installedVersions(names: readonly string[] = KEY_PACKAGES): { name: string; version: string | null }[] {
  const here = dirname(fileURLToPath(import.meta.url));
  return names.map((name) => {
    const file = packageJsonOf(name, here);
    const version = file ? (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null : null;
    return { name, version };
  });
}
