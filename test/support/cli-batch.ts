/**
 * Many CLI invocations through one process (cli-batch-main.ts): main() per
 * argument list, each with its exit code, stdout and stderr. For corpora of
 * inputs; runCli (./workers.ts) proves the real process's exit code end to end.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_EXEC_ARGV } from '../../src/ts-runtime';
import type { BatchRun } from './cli-batch-main';

export type { BatchRun };

const BATCH_MAIN = fileURLToPath(new URL('./cli-batch-main.ts', import.meta.url));

export function runCliBatch(runs: readonly string[][], env: Record<string, string>): Promise<BatchRun[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_EXEC_ARGV, BATCH_MAIN, JSON.stringify(runs)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      try {
        resolve(JSON.parse(stdout) as BatchRun[]);
      } catch {
        reject(new Error(`the CLI batch exited with ${code} and no results:\n${stderr}`));
      }
    });
  });
}
