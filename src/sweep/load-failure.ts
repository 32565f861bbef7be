/**
 * Why a sweep file did not load, said with the place in the file to look at:
 * a syntax error at its line and column (esbuild's message, which tsx reports),
 * an error thrown while the module ran at the line of the file it was thrown
 * from, a module it imports that does not exist by its name.
 */
import { dirname, isAbsolute, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SweepInputError, type SourceLocation } from './errors';

/** esbuild: `Transform failed with 1 error:\n/abs/file.ts:7:17: ERROR: Expected "}" but found "'train'"` (0-based column). */
const ESBUILD_ERROR = /^(.*):(\d+):(\d+): ERROR: (.*)$/m;

export function loadFailure(error: unknown, absolutePath: string, file: string): SweepInputError {
  const message = error instanceof Error ? error.message : String(error);

  const syntax = ESBUILD_ERROR.exec(message);
  if (syntax && syntax[1] === absolutePath) {
    const location = { line: Number(syntax[2]), column: Number(syntax[3]) + 1 };
    return new SweepInputError(file, '', `syntax error: ${syntax[4]}`, { cause: error, location });
  }

  const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && /Cannot find (?:module|package) '([^']+)'/.exec(message);
  if (missing && message.includes(absolutePath)) {
    // Node names the module by its resolved path; the file names it relative to itself.
    const name = isAbsolute(missing[1]!) ? `./${relative(dirname(absolutePath), missing[1]!)}` : missing[1]!;
    return new SweepInputError(file, 'import', `cannot find module '${name}'`, { cause: error });
  }

  const location = error instanceof Error ? thrownFrom(error, absolutePath) : undefined;
  // A multi-line message (a transform error of another tool) keeps its first line; the cause keeps the rest.
  const reason = stripAnsi(message).split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return new SweepInputError(file, '', `failed to load: ${reason}`, { cause: error, location });
}

/** The first frame of the error's stack that lies in the sweep file itself. */
function thrownFrom(error: Error, absolutePath: string): SourceLocation | undefined {
  const url = pathToFileURL(absolutePath).href;
  for (const frame of (error.stack ?? '').split('\n').slice(1)) {
    for (const prefix of [`${absolutePath}:`, `${url}:`]) {
      const at = frame.indexOf(prefix);
      if (at < 0) continue;
      const match = /^(\d+):(\d+)/.exec(frame.slice(at + prefix.length));
      if (match) return { line: Number(match[1]), column: Number(match[2]) };
    }
  }
  return undefined;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
