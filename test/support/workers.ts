/**
 * Worker processes for integration tests, started exactly as `sweep worker`
 * runs in production (a separate process each), so a test can kill one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_EXEC_ARGV } from '../../src/ts-runtime';

const CLI_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const SWEEP_BIN = fileURLToPath(new URL('../../bin/sweep.mjs', import.meta.url));

export interface TestWorker {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Everything it printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export function startTestWorker(env: Record<string, string>, args: string[] = []): TestWorker {
  const child = spawn(process.execPath, [...TS_EXEC_ARGV, CLI_MAIN, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
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
