/**
 * A sweep's life on real components (a Temporal dev server, a private Postgres,
 * worker processes started as `sweep worker`, the real CLI): trained, recorded,
 * tabulated, resubmitted; submitted twice, paused and resumed. Faults,
 * cancellation and scale have files of their own, each with its own stack, so
 * they run side by side.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/workers';
import { useTestStack } from '../support/stack';

const stack = useTestStack();

describe('a train sweep end to end', () => {
  it('trains every trial, records rows and curves, and a resubmit runs nothing again', async () => {
    const first = await runCli(['submit', 'test/fixtures/train-tiny.ts', '--wait', '--json'], stack.env);
    expect(first.code, first.stderr).toBe(0);
    const submitted = JSON.parse(first.stdout.split('\n')[0]!);
    expect(submitted).toMatchObject({ total: 4, alreadyFinished: 0, started: true });

    const { sweep, trials } = await stack.trialsOf('it-train-tiny');
    expect(sweep.status).toBe('completed');
    expect(trials).toHaveLength(4);
    for (const trial of trials) {
      expect(trial.status).toBe('done');
      expect(trial.attempts).toBe(1);
      // The backend a trial process picks on this host (native TensorFlow where infra/setup.sh built it).
      expect(trial.backend).toBe(stack.hostBackend.backend);
      expect(trial.backendVersion).toBe(stack.hostBackend.version);
      expect(trial.device).toMatch(/^(CPU|GPU)/);
      expect(trial.codeRevision).toBeTruthy();
      expect(trial.host).toMatch(/^\d+@/);
      expect(trial.durationMs).toBeGreaterThan(0);
      const summary = trial.summary as Record<string, number>;
      // Two epochs on 300 digits: well above chance (0.1), not a perfect score.
      expect(summary.testAccuracy).toBeGreaterThan(0.3);
      // 2 epochs × 4 curves, each point written once.
      const curves = trial.metrics.filter((m) => ['loss', 'accuracy', 'testLoss', 'testAccuracy'].includes(m.name));
      expect(curves).toHaveLength(8);
      expect(new Set(trial.metrics.map((m) => `${m.name}@${m.step}`)).size).toBe(trial.metrics.length);
    }
    const before = trials.map((t) => ({ key: t.key, startedAt: t.startedAt?.getTime(), metrics: t.metrics.length }));

    const again = await runCli(['submit', 'test/fixtures/train-tiny.ts', '--wait', '--json'], stack.env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.split('\n')[0]!)).toMatchObject({ total: 4, alreadyFinished: 4 });
    const after = (await stack.trialsOf('it-train-tiny')).trials;
    expect(after.map((t) => ({ key: t.key, startedAt: t.startedAt?.getTime(), metrics: t.metrics.length }))).toEqual(before);
    expect(after.every((t) => t.attempts === 1)).toBe(true);

    const table = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--cols', 'arch', '--metric', 'testAccuracy', '--format', 'csv'], stack.env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/0\.01/);
    expect(table.stdout).toMatch(/n=2|,2\b/);

    // --where keeps only matching trials: one learning rate, so one row.
    const where = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--where', 'learningRate=0.01', '--metric', 'testAccuracy', '--format', 'csv'], stack.env);
    expect(where.code, where.stderr).toBe(0);
    expect(where.stdout.trim().split('\n')).toHaveLength(2); // header + one row
    expect(where.stdout).toMatch(/^0\.01,/m);
    // --cols metric: the metrics side by side, in the order given, one row per learning rate.
    const side = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--cols', 'metric', '--metric', 'testAccuracy,loss', '--format', 'csv'], stack.env);
    expect(side.code, side.stderr).toBe(0);
    const [header, ...lines] = side.stdout.trim().split('\n');
    expect(header).toMatch(/^learningRate,.*testAccuracy.*,.*loss/);
    expect(header!.indexOf('testAccuracy')).toBeLessThan(header!.indexOf('loss'));
    expect(lines.length).toBe(new Set(after.map((t) => (t.params as { learningRate: number }).learningRate)).size);
    const nothing = await runCli(['table', 'it-train-tiny', '--rows', 'learningRate', '--where', 'arch=cnn', '--metric', 'testAccuracy'], stack.env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/no trial .* has arch=cnn \(values present: arch: mlp\)/);
  }, 300_000);
});

describe('controlling a running sweep', () => {
  it('a double submit starts nothing new; pause stops new trials until resume', async () => {
    const first = await runCli(['submit', 'test/fixtures/noop-pause.ts', '--json'], stack.env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ total: 4, started: true });
    // Paused at once (each CLI call takes seconds on a busy machine), then submitted again while it runs.
    expect((await runCli(['pause', 'it-noop-pause'], stack.env)).code).toBe(0);
    const second = await runCli(['submit', 'test/fixtures/noop-pause.ts', '--json'], stack.env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ total: 4, started: false });

    // Whatever was running when the pause arrived finishes; then nothing new starts.
    await stack.until('running trials to drain', async () => (await stack.trialsOf('it-noop-pause')).trials.every((t) => t.status !== 'running'));
    const doneWhilePaused = (await stack.trialsOf('it-noop-pause')).trials.filter((t) => t.status === 'done').length;
    await new Promise((r) => setTimeout(r, 3000));
    const later = (await stack.trialsOf('it-noop-pause')).trials;
    expect(later.filter((t) => t.status === 'done').length).toBe(doneWhilePaused);
    expect(doneWhilePaused).toBeLessThan(4);
    const status = await runCli(['status', 'it-noop-pause', '--json'], stack.env);
    expect(JSON.parse(status.stdout).workflow.progress).toMatchObject({ paused: true });

    expect((await runCli(['resume', 'it-noop-pause'], stack.env)).code).toBe(0);
    const watch = await runCli(['watch', 'it-noop-pause'], stack.env);
    expect(watch.code, watch.stdout).toBe(0);
    expect((await stack.trialsOf('it-noop-pause')).trials.every((t) => t.status === 'done')).toBe(true);
  }, 120_000);
});
