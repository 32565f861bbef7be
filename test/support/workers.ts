/**
 * Worker processes for integration tests, started exactly as `sweep worker`
 * runs in production (a separate process each), so a test can kill one.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { supervise, type SupervisedProcess } from '../../src/stack/processes';
import { TS_EXEC_ARGV } from '../../src/ts-runtime';

const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SWEEP_BIN = fileURLToPath(new URL('../../bin/sweep.mjs', import.meta.url));

/** A `sweep worker` process: its output (for failure messages), and a graceful stop. */
export type TestWorker = SupervisedProcess;

export function startTestWorker(env: Record<string, string>, args: string[] = []): TestWorker {
  const child = spawn(process.execPath, [...TS_EXEC_ARGV, CLI_MAIN, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return supervise(child);
}

/** Runs the real CLI (as `sweep ...` does; `bin: true` through bin/sweep.mjs itself) and collects its output and exit code. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { bin?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = options.bin ? [SWEEP_BIN] : [...TS_EXEC_ARGV, CLI_MAIN];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
