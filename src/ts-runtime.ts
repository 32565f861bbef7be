/**
 * How sweeplab starts more Node processes that run TypeScript (trial processes,
 * background workers): with tsx's loader, resolved to an absolute URL so the
 * child finds it whatever its working directory.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export const TSX_LOADER_URL = pathToFileURL(require.resolve('tsx')).href;

/** Node arguments that make a child process run a .ts entry point. */
export const TS_EXEC_ARGV: readonly string[] = ['--import', TSX_LOADER_URL];
