/**
 * Two small finished sweeps as the workers would have written them, with
 * plausible numbers: a PTU transfer grid and a parameter-corruption grid, each
 * with three seeds per configuration, a trial that failed and one that errored.
 * What report and plot tests render.
 */
import type { MetricPoint } from '../../src/db/trials';
import type { TrialParams } from '../../src/sweep/trial';
import type { SeededSweep, SeededTrial } from './seeded-sweep';

/** A seeded stream of numbers in [0, 1). */
function numbers(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function grid(axes: Record<string, readonly (string | number)[]>): TrialParams[] {
  return Object.entries(axes).reduce<TrialParams[]>((configs, [key, values]) => configs.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))), [{}]);
}

/** Loss falling and accuracy rising over the epochs towards `final`, with noise. */
function curves(epochs: number, final: number, next: () => number, prefix = ''): MetricPoint[] {
  return Array.from({ length: epochs }, (_, e) => {
    const progress = (e + 1) / epochs;
    const accuracy = final * (0.55 + 0.45 * progress) + 0.02 * (next() - 0.5);
    const loss = 2.3 * (1 - 0.8 * progress) + 0.05 * next();
    return [
      { name: `${prefix}loss`, step: e + 1, value: loss },
      { name: `${prefix}accuracy`, step: e + 1, value: Math.min(1, accuracy + 0.03) },
      { name: `${prefix}testLoss`, step: e + 1, value: loss + 0.1 },
      { name: `${prefix}testAccuracy`, step: e + 1, value: accuracy },
    ];
  }).flat();
}

const STRATEGIES = ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'];

export function transferSweep(): SeededSweep {
  const next = numbers(11);
  const base = { arch: 'mlp', width: 64, epochs: 4, targetSize: 200, optimizer: 'adam', learningRate: 0.001 };
  const trials: SeededTrial[] = [];
  for (const params of grid({ strategy: STRATEGIES, pair: ['mnist->mnist-rot30', 'mnist->fashion'] })) {
    for (const seed of [1, 2, 3]) {
      const final = 0.6 + 0.05 * STRATEGIES.indexOf(String(params.strategy)) - (params.pair === 'mnist->fashion' ? 0.15 : 0) + 0.04 * next();
      trials.push({
        params: { ...base, ...params },
        seed,
        host: seed === 3 ? 'gpu-box-2' : 'cpu-box-1',
        outcome: { status: 'done', summary: { testAccuracy: final, testLoss: 1 - final }, points: curves(4, final, next), durationMs: Math.round(8000 + 4000 * next()) },
      });
    }
  }
  trials.push({ params: { ...base, strategy: 'ptu', pair: 'mnist->fashion' }, seed: 4, outcome: { status: 'failed', message: 'TrialMathError: loss is NaN at epoch 3\n    at train (src/experiments/training.ts:120:11)\n    at run (src/experiments/transfer/run.ts:80:5)' } });
  trials.push({ params: { ...base, strategy: 'fine-tune', pair: 'mnist->fashion' }, seed: 4, outcome: { status: 'error', message: 'trial process exited with signal SIGKILL (out of memory?)' } });
  return {
    id: 'sweep-ptu-report-0123456789ab',
    name: 'ptu-report',
    family: 'transfer',
    spec: { name: 'ptu-report', family: 'transfer', preset: 'smoke', parameters: { strategy: { kind: 'grid', values: STRATEGIES }, pair: { kind: 'grid', values: ['mnist->mnist-rot30', 'mnist->fashion'] }, ...base }, seeds: [1, 2, 3, 4] },
    trials,
  };
}

const EPS = [0.01, 0.03, 0.1, 0.3, 1];

export function corruptionSweep(): SeededSweep {
  const next = numbers(23);
  const base = { dataset: 'mnist', arch: 'mlp', width: 64, norm: 'L2', epsilons: EPS.join(','), epochs: 3 };
  const trials: SeededTrial[] = [];
  for (const params of grid({ target: ['all', 'dense0'], training: ['normal', 'resistant'] })) {
    for (const seed of [1, 2, 3]) {
      const resistance = params.training === 'resistant' ? 0.5 : 1;
      const points: MetricPoint[] = [...curves(3, 0.9, next, 'train.')];
      EPS.forEach((eps, step) => {
        points.push({ name: 'eps', step, value: eps });
        points.push({ name: 'lossIncrease.gradient', step, value: resistance * (2 * eps + 4 * eps * eps) * (1 + 0.1 * next()) });
        points.push({ name: 'lossIncrease.random.mean', step, value: resistance * eps * eps * (0.3 + 0.05 * next()) });
      });
      trials.push({
        params: { ...base, ...params },
        seed,
        outcome: { status: 'done', summary: { accuracy: 0.9 + 0.02 * next(), loss: 0.3 + 0.05 * next(), gradientDualNorm: 2 + next() }, points, durationMs: Math.round(20000 + 5000 * next()) },
      });
    }
  }
  trials.push({ params: { ...base, target: 'dense0', training: 'resistant' }, seed: 4, outcome: { status: 'failed', message: 'TrialInputError: no parameter named dense9/kernel' } });
  return {
    id: 'sweep-corruption-report-ba9876543210',
    name: 'corruption-report',
    family: 'corruption',
    spec: { name: 'corruption-report', family: 'corruption', parameters: { target: { kind: 'grid', values: ['all', 'dense0'] }, training: { kind: 'grid', values: ['normal', 'resistant'] }, ...base }, seeds: [1, 2, 3, 4] },
    trials,
  };
}
