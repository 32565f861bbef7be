/**
 * Fault: the Temporal server SIGKILLed mid-sweep and started again on the same
 * database. The sweep completes with one result per trial, and the commands a
 * researcher has open meanwhile (`submit --wait`, `watch`, `status`) wait the
 * outage out, saying so, instead of dying.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TS_EXEC_ARGV } from '../../src/ts-runtime';
import { cleanCounts, faultCounts, installResultAudit } from '../support/fault-counts';
import { useTestStack } from '../support/stack';

const stack = useTestStack({ workers: [['--slots', '2'], ['--slots', '2']] });
const SWEEP = 'fault-temporal-restart';
const CLI_MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** A CLI command left running in the background, its output collected. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [...TS_EXEC_ARGV, CLI_MAIN, ...args], { env: { ...process.env, ...stack.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  return { exited, output: () => ({ stdout, stderr }), kill: () => child.kill('SIGKILL') };
}

describe('the Temporal server killed and restarted mid-sweep', () => {
  it('completes the sweep, and submit --wait, watch and status ride out the outage', async () => {
    await installResultAudit(stack.databaseUrl);
    const submit = startCli(['submit', 'test/fixtures/faults/temporal-restart.ts', '--wait']);
    const { sweep } = await stack.until('the sweep to be registered', () => stack.trialsOf(SWEEP).catch(() => null));
    const watch = startCli(['watch', sweep.id]);
    try {
      await stack.until('three trials to finish', async () => (await stack.trialsOf(SWEEP)).trials.filter((t) => t.status === 'done').length >= 3, 90_000);

      await stack.temporal.kill();
      const killedAt = Date.now();
      // Asked while the server is down, status waits for it (up to 10 s); the server is back before that.
      const status = startCli(['status', sweep.id, '--json']);
      await stack.until('status to say it waits for Temporal', async () => /unavailable while .*waiting for it to come back/.test(status.output().stderr), 60_000);
      await stack.temporal.restart();
      const outageMs = Date.now() - killedAt;

      expect(await status.exited, status.output().stderr).toBe(0);
      const statusResult = status.output();
      const statusJson = JSON.parse(statusResult.stdout) as { workflow: { status: string } | null; temporalProblem: string | null };
      expect(statusJson.temporalProblem).toBeNull();
      expect(statusJson.workflow?.status).toMatch(/RUNNING|COMPLETED/);

      const [submitCode, watchCode] = await Promise.all([submit.exited, watch.exited]);
      for (const [name, code, run] of [['submit --wait', submitCode, submit], ['watch', watchCode, watch]] as const) {
        const { stdout, stderr } = run.output();
        expect(code, `${name}: ${stderr}`).toBe(0);
        expect(stderr, name).toMatch(/Temporal at 127\.0\.0\.1:\d+ is unavailable while .*waiting for it to come back/);
        expect(stderr, name).toMatch(/answers again, after \d+\.\d s/);
        expect(stdout, name).toMatch(/12 done, 0 skipped, 0 failed/);
      }
      console.log(`[fault] Temporal server down for ${(outageMs / 1000).toFixed(1)} s (SIGKILL, then restarted on its SQLite file)`);
      expect(await faultCounts(stack, 'Temporal server SIGKILLed and restarted', SWEEP, 12)).toEqual(cleanCounts(12));
    } finally {
      submit.kill();
      watch.kill();
    }
  }, 240_000);
});
