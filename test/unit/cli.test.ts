/** The `sweep` command's contract with scripts: output shapes and exit codes (0 ok, 1 failure, 2 bad input). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/workers';

// No services are needed for these; point at closed ports so nothing real is touched by accident.
const env = { TEMPORAL_ADDRESS: '127.0.0.1:1', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' };

describe('sweep CLI', () => {
  it('--dry-run --json prints every trial and submits nothing', async () => {
    const { code, stdout, stderr } = await runCli(['submit', 'sweeps/train-mnist.ts', '--preset', 'smoke', '--dry-run', '--json'], env);
    expect(code, stderr).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ name: 'train-mnist', family: 'train', total: 4 });
    expect(plan.trials).toHaveLength(4);
    for (const trial of plan.trials) {
      expect(Object.keys(trial).sort()).toEqual(['key', 'params', 'seed']);
      expect(trial.key).toMatch(/^[0-9a-f]{64}$/);
      expect(trial.params).toMatchObject({ dataset: 'mnist', arch: 'mlp', width: 64 });
    }
    expect(new Set(plan.trials.map((t: { key: string }) => t.key)).size).toBe(4);
  });

  it('--dry-run --json into a pipe is complete however large (process.exit used to cut it at 64 KB)', async () => {
    for (const bin of [false, true]) {
      const { code, stdout, stderr } = await runCli(['submit', 'sweeps/noop-10k.ts', '--dry-run', '--json'], env, { bin });
      expect(code, stderr).toBe(0);
      expect(stdout.length).toBeGreaterThan(1 << 20);
      const plan = JSON.parse(stdout);
      expect(plan.trials).toHaveLength(10_000);
      expect(plan.total).toBe(plan.trials.length);
    }
  });

  it('refuses a misspelt parameter with exit code 2, naming the file and the field', async () => {
    const { code, stderr } = await runCli(['submit', 'test/fixtures/bad-param.ts', '--dry-run'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('test/fixtures/bad-param.ts');
    expect(stderr).toContain('parameters.lerningRate');
    expect(stderr).toContain('learningRate');
  });

  it('exits 2 on an unknown command, a missing argument or a bad flag', async () => {
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    expect((await runCli(['submit'], env)).code).toBe(2);
    expect((await runCli(['table', 'x', '--rows', 'a', '--metric', 'm', '--format', 'pdf'], env)).code).toBe(2);
    expect((await runCli(['submit', 'sweeps/train-mnist.ts', '--preset', 'nope', '--dry-run'], env)).code).toBe(2);
  });

  it('exits 1 with a hint when Temporal is unreachable', async () => {
    const { code, stderr } = await runCli(['cancel', 'some-sweep'], { ...env });
    expect(code).toBe(1);
    expect(stderr).toMatch(/sweep cancel:/);
  });

  it('has --help for every command', async () => {
    for (const command of ['submit', 'status', 'watch', 'cancel', 'pause', 'resume', 'table', 'worker', 'dev']) {
      const { code, stdout } = await runCli([command, '--help'], env);
      expect(code, command).toBe(0);
      expect(stdout, command).toMatch(new RegExp(`^Usage: sweep ${command}`));
    }
  }, 60_000);
});
