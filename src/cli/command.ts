/**
 * A CLI command: its name, a one-line summary, its full help, and what it does.
 * `run` resolves to the exit code: 0 ok, 1 failure, 2 bad input.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs, with its errors turned into usage errors that name the command. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O, maxPositionals = 1) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    if (parsed.positionals.length > maxPositionals) {
      throw new UsageError(`unexpected argument '${parsed.positionals[maxPositionals]}'`);
    }
    return parsed;
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`sweep ${command}: ${err.message}`);
    throw new UsageError(`sweep ${command}: ${(err as Error).message}`);
  }
}

export function positiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`sweep ${command}: --${flag} must be a positive integer, got '${value}'`);
  return n;
}
