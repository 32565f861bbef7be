/**
 * Which tfjs backend a trial process would get, asked of a fresh process
 * (backend-probe-main.ts) with a trial's environment: the CLI (`sweep doctor`)
 * and the tests learn it without loading TensorFlow themselves.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TS_EXEC_ARGV } from '../ts-runtime';

export interface BackendProbeReport {
  readonly ok: boolean;
  readonly backend?: string;
  readonly version?: string;
  readonly device?: string;
  /** One line per backend tried and skipped (or kept with a caveat), fastest first. */
  readonly notes: string[];
  readonly error?: string;
}

const PROBE_MAIN = fileURLToPath(new URL('./backend-probe-main.ts', import.meta.url));

export function probeBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendProbeReport> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...TS_EXEC_ARGV, PROBE_MAIN], { env: { TF_CPP_MIN_LOG_LEVEL: '2', ...env } }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as BackendProbeReport);
      } catch {
        resolve({ ok: false, notes: [], error: `the probe process failed: ${(stderr || err?.message || 'no output').trim().split('\n')[0]}` });
      }
    });
  });
}
