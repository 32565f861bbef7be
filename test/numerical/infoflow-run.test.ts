/**
 * The infoflow family at tiny sizes: its parameters, the noisy model (seeded
 * noise of standard deviation β through the output hook, gradients through S),
 * the orthonormality step, and the runner: it reports at the log-spaced
 * checkpoints, every value finite and every estimate within [0, ln n], frees
 * every tensor, and repeats itself exactly for a seed.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { codeVersionOf } from '../../src/experiments/family';
import { infoflowFamily } from '../../src/experiments/infoflow';
import { noisyModel, orthonormalStep } from '../../src/experiments/infoflow/noisy-model';
import { infoflowParams } from '../../src/experiments/infoflow/params';
import infoflowRunner, { logSpacedEpochs } from '../../src/experiments/infoflow/run';
import { architecture } from '../../src/experiments/models/architecture';
import { buildModel } from '../../src/experiments/models/build';
import { Rng } from '../../src/experiments/rng';
import { recordingContext } from '../support/trial-context';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

describe('the infoflow parameters', () => {
  it('default to the paper’s setting and refuse what they cannot run', () => {
    const params = infoflowParams.parse({});
    expect(params).toMatchObject({ dataset: 'szt', widths: '10,7,5,4,3', activation: 'tanh', optimizer: 'adam', learningRate: 4e-4, batchSize: 256, orthonormal: false });
    expect(infoflowParams.safeParse({ widths: '10,0,3' }).success).toBe(false);
    expect(infoflowParams.safeParse({ widths: 'ten' }).success).toBe(false);
    expect(infoflowParams.safeParse({ binSizes: '0.1,-1' }).success).toBe(false);
    expect(infoflowParams.safeParse({ beta: 0 }).success).toBe(false);
    expect(infoflowParams.safeParse({ activation: 'sigmoid' }).success).toBe(false);
    expect(infoflowParams.safeParse({ betta: 0.1 }).success).toBe(false);
    expect(codeVersionOf(infoflowFamily)).toMatch(/^infoflow@1 training@\d+$/);
  });

  it('checkpoints are log-spaced epochs from 1 to the last', () => {
    expect(logSpacedEpochs(1000, 4)).toEqual([1, 10, 100, 1000]);
    expect(logSpacedEpochs(5, 10)).toEqual([1, 2, 3, 4, 5]);
    expect(logSpacedEpochs(7, 1)).toEqual([7]);
    expect(logSpacedEpochs(1, 5)).toEqual([1]);
  });
});

describe('per-layer MLP widths (models/architecture.ts)', () => {
  it('build 12-10-7-5-4-3-2 from widths; a depth given too must agree; only the MLP takes them', () => {
    const spec = architecture('mlp', { width: 1, widths: [10, 7, 5, 4, 3], height: 1, imageWidth: 12, numClasses: 2, activation: 'tanh' });
    expect(spec.hidden.map((l) => [l.name, l.shapes[0]!.shape])).toEqual([
      ['dense0', [12, 10]],
      ['dense1', [10, 7]],
      ['dense2', [7, 5]],
      ['dense3', [5, 4]],
      ['dense4', [4, 3]],
    ]);
    expect([spec.head.name, spec.head.shapes[0]!.shape, spec.headInputSize]).toEqual(['dense5', [3, 2], 3]);
    // Without widths: depth layers of width, as before.
    expect(architecture('mlp', { width: 8, depth: 3 }).hidden.map((l) => l.units)).toEqual([8, 8, 8]);
    expect(() => architecture('mlp', { width: 1, widths: [4, 3], depth: 3 })).toThrow(RangeError);
    expect(() => architecture('mlp', { width: 1, widths: [4, 0] })).toThrow(RangeError);
    expect(() => architecture('cnn', { width: 2, widths: [4, 3] })).toThrow(RangeError);
  });
});

describe('the noisy model', () => {
  it('adds seeded N(0, β²) noise to every hidden output, with gradients through S', async () => {
    const before = tf.memory().numTensors;
    const beta = 0.05;
    const inner = buildModel('mlp', { width: 1, widths: [6, 5], seed: 1, activation: 'tanh', height: 1, imageWidth: 12, numClasses: 2 });
    const model = noisyModel(inner, { beta, seed: 2 });
    expect(model.hiddenKernels().map((k) => k.shape)).toEqual([
      [12, 6],
      [6, 5],
    ]);
    const x = tf.randomUniform([400, 12], 0, 1, 'float32', 3) as tf.Tensor2D;
    const [first, again, same, other] = tf.tidy(() => {
      const a = model.sample(x, new Rng(9));
      const b = model.sample(x, new Rng(9));
      const c = model.sample(x, new Rng(10));
      return [tf.sub(a.noisy[1]!, a.clean[1]!), tf.sub(b.noisy[1]!, b.clean[1]!), tf.sub(a.noisy[0]!, b.noisy[0]!), tf.sub(a.noisy[0]!, c.noisy[0]!)];
    });
    const noise = Array.from(await first!.data()) as number[];
    const mean = noise.reduce((s, v) => s + v, 0) / noise.length;
    const sd = Math.sqrt(noise.reduce((s, v) => s + (v - mean) ** 2, 0) / noise.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeGreaterThan(beta * 0.95);
    expect(sd).toBeLessThan(beta * 1.05);
    expect(Array.from(await again!.data())).toEqual(noise);
    expect((Array.from(await same!.data()) as number[]).every((v) => v === 0)).toBe(true);
    expect((Array.from(await other!.data()) as number[]).some((v) => v !== 0)).toBe(true);

    // The noise-free network is the inner one; apply draws fresh training noise each call.
    const [clean, plain, noisy1, noisy2] = tf.tidy(() => [model.deterministic(x).logits, inner.apply(x), model.apply(x), model.apply(x)]);
    expect(Array.from(await clean!.data())).toEqual(Array.from(await plain!.data()));
    expect(Array.from(await noisy1!.data())).not.toEqual(Array.from(await noisy2!.data()));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x))) as tf.Scalar);
    for (const p of model.params) expect((await grads[p.variable.name]!.data()).every(Number.isFinite)).toBe(true);
    expect((await grads[model.hiddenKernels()[0]!.name]!.data()).some((g) => g !== 0)).toBe(true);
    tf.dispose([value, ...Object.values(grads), first!, again!, same!, other!, clean!, plain!, noisy1!, noisy2!, x]);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the orthonormality step W ← W − α(W Wᵀ W − W) drives the singular values to 1', async () => {
    const w = tf.variable(tf.randomNormal([6, 4], 0, 0.8, 'float32', 4));
    const gramError = async () => {
      const e = tf.tidy(() => tf.norm(tf.sub(tf.matMul(w, w, true, false), tf.eye(4))));
      const value = (await e.data())[0]!;
      e.dispose();
      return value;
    };
    const start = await gramError();
    expect(start).toBeGreaterThan(0.5);
    for (let k = 0; k < 300; k++) tf.tidy(() => orthonormalStep([w], 0.05));
    expect(await gramError()).toBeLessThan(1e-3);
    w.dispose();
  });
});

describe('the infoflow runner', () => {
  const tiny = infoflowParams.parse({
    widths: '5,3',
    epochs: 5,
    checkpoints: 3,
    replicas: 4,
    mcSamples: 256,
    estimateInputs: 512,
    binSizes: '0.01,0.1',
    learningRate: 0.01,
    beta: 0.05,
  });

  async function runTiny(seed: number, overrides: Partial<typeof tiny> = {}) {
    const { ctx, points } = recordingContext(seed, backend);
    const summary = await infoflowRunner.run({ ...tiny, ...overrides }, ctx);
    return { summary, points };
  }

  it('reports every layer’s measures at the checkpoints, finite and within [0, ln n], and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const { summary, points } = await runTiny(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(points.map((p) => p.step)).toEqual([1, 2, 5]); // 5^0, 5^½ ≈ 2.24, 5^1
    const names = [
      'epoch',
      'loss',
      'accuracy',
      'testLoss',
      'testAccuracy',
      'cleanAccuracy',
      'cleanTestAccuracy',
      'estimatorSeconds',
      'measureSeconds',
      ...[1, 2].flatMap((l) => [`mi.${l}`, `miStderr.${l}`, `h.${l}`, `hCond.${l}`, `binH.${l}.0.01`, `binH.${l}.0.1`, `sameClassClose.${l}`, `clusterRatio.${l}`]),
    ];
    for (const { step, metrics } of points) {
      expect(Object.keys(metrics).sort()).toEqual([...names].sort());
      expect(metrics.epoch).toBe(step);
      for (const value of Object.values(metrics)) expect(Number.isFinite(value)).toBe(true);
      for (const l of [1, 2]) {
        expect(metrics[`mi.${l}`]).toBeGreaterThanOrEqual(0);
        expect(metrics[`mi.${l}`]).toBeLessThanOrEqual(Math.log(512));
        expect(metrics[`binH.${l}.0.01`]).toBeLessThanOrEqual(Math.log(512) + 1e-12);
        expect(metrics[`binH.${l}.0.1`]).toBeLessThanOrEqual(metrics[`binH.${l}.0.01`]! + 1e-12);
        expect(metrics[`sameClassClose.${l}`]).toBeGreaterThanOrEqual(0);
        expect(metrics[`sameClassClose.${l}`]).toBeLessThanOrEqual(1);
      }
      // The first hidden layer's h(T|X) is the Gaussian's, exactly.
      expect(metrics['hCond.1']).toBeCloseTo((5 / 2) * Math.log(2 * Math.PI * Math.E * 0.05 ** 2), 10);
    }
    for (const value of Object.values(summary)) expect(Number.isFinite(value)).toBe(true);
    expect(summary.parameters).toBe(12 * 5 + 5 + 5 * 3 + 3 + 3 * 2 + 2);
    expect(summary['miPeak.2']).toBe(Math.max(...points.map((p) => p.metrics['mi.2']!)));
    expect(summary['compression.2']).toBeCloseTo(summary['miPeak.2']! - points[2]!.metrics['mi.2']!, 12);
    expect(summary.estimatorSeconds).toBeGreaterThan(0);
    expect(summary.trainSeconds).toBeGreaterThan(0);
    // It learns: the last checkpoint's loss is below the first's.
    expect(points[2]!.metrics.loss).toBeLessThan(points[0]!.metrics.loss!);
  });

  it('repeats itself exactly for a seed; another seed, or orthonormality, changes the numbers', async () => {
    const strip = (points: { step: number; metrics: Record<string, number> }[]) =>
      points.map(({ step, metrics }) => ({ step, metrics: Object.fromEntries(Object.entries(metrics).filter(([k]) => !k.endsWith('Seconds'))) }));
    const first = await runTiny(7, { epochs: 2, checkpoints: 2 });
    const again = await runTiny(7, { epochs: 2, checkpoints: 2 });
    expect(strip(again.points)).toEqual(strip(first.points));
    const other = await runTiny(8, { epochs: 2, checkpoints: 2 });
    expect(other.points[1]!.metrics['mi.2']).not.toBe(first.points[1]!.metrics['mi.2']);
    const orthonormal = await runTiny(7, { epochs: 2, checkpoints: 2, orthonormal: true, alpha: 0.01 });
    expect(orthonormal.points[1]!.metrics.loss).not.toBe(first.points[1]!.metrics.loss);
    for (const value of Object.values(orthonormal.summary)) expect(Number.isFinite(value)).toBe(true);
  });
});
