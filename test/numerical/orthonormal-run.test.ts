/**
 * The orthonormal family's model wrapper and runner, at tiny sizes: the layers
 * use h(W) (the hidden layers' kernels, the head's only when asked), training
 * updates the raw W through h, every method trains an MLP and a CNN and reports
 * every epoch, and orth-reg makes W more orthonormal than plain training.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { TrialInputError } from '../../src/experiments/errors';
import { buildModel } from '../../src/experiments/models/build';
import type { Arch } from '../../src/experiments/models/model';
import { orthonormalFamily } from '../../src/experiments/orthonormal';
import { methodTransform } from '../../src/experiments/orthonormal/methods';
import { normalisedModel } from '../../src/experiments/orthonormal/normalised-model';
import { ORTHONORMAL_METHODS, orthonormalParams, type OrthonormalParams } from '../../src/experiments/orthonormal/params';
import orthonormalRunner from '../../src/experiments/orthonormal/run';
import { fromMatrix } from '../../src/experiments/orthonormal/weight-matrix';
import { recordingContext } from '../support/trial-context';

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

/** Tiny trials: 200 MNIST examples, two epochs of four batches. */
const TINY = { trainSize: 200, testSize: 100, epochs: 2, batchSize: 50 } as const;
const TINY_SHAPE: Record<'mlp' | 'cnn', { width: number; hidden: string[] }> = {
  mlp: { width: 8, hidden: ['dense0', 'dense1'] },
  cnn: { width: 2, hidden: ['conv0', 'conv1'] },
};

describe('the normalised model', () => {
  it.each(['mlp', 'cnn'] as const)('%s: its layers use h(W) for the hidden kernels, W for biases and the head; gradients reach W', async (arch: Arch) => {
    const before = tf.memory().numTensors;
    const x = tf.randomUniform([3, 784], 0, 1, 'float32', 1) as tf.Tensor2D;
    const inner = buildModel(arch, { width: 4, seed: 3 });
    const model = normalisedModel(inner, { transform: methodTransform({ method: 'aon', order: 2, powerIterations: 32 }), includeHead: false, seed: 7 });
    expect(model.targets.map((t) => t.param)).toEqual(arch === 'mlp' ? ['dense0/kernel', 'dense1/kernel'] : ['conv0/kernel', 'conv1/kernel']);
    expect(model.targets.map((t) => t.matrixShape)).toEqual(arch === 'mlp' ? [[784, 4], [4, 4]] : [[9, 4], [36, 8]]);

    // The same network with h(W) written into its kernels computes the same logits.
    const reference = buildModel(arch, { width: 4, seed: 3 });
    tf.tidy(() => {
      const matrices = model.effectiveMatrices();
      model.targets.forEach((target, i) => reference.params.find((p) => p.name === target.param)!.variable.assign(fromMatrix(matrices[i]!, target.variable.shape)));
    });
    const [wrapped, written, plain] = tf.tidy(() => [model.apply(x), reference.apply(x), inner.apply(x)]);
    const [wrappedValues, writtenValues, plainValues] = await Promise.all([wrapped!.data(), written!.data(), plain!.data()]);
    wrappedValues.forEach((value, i) => expect(value).toBeCloseTo(writtenValues[i]!, 5));
    expect(wrappedValues.some((value, i) => Math.abs(value - plainValues[i]!) > 1e-3)).toBe(true);

    // A caller's weight hook sees the transformed kernels, by name; the head and biases pass through.
    const seen: { param: string; head: boolean; same: boolean }[] = [];
    tf.tidy(() => {
      model.forward(x, { weight: (layer, param, value) => (seen.push({ param, head: layer.head, same: value === inner.params.find((p) => p.name === param)!.variable }), value) });
    });
    expect(seen.map((s) => s.param)).toEqual(inner.params.map((p) => p.name));
    for (const s of seen) expect(s.same).toBe(!s.param.endsWith('/kernel') || s.head);
    expect(seen.filter((s) => s.head).map((s) => s.param)).toEqual([`${inner.architecture.head.name}/kernel`, `${inner.architecture.head.name}/bias`]);

    // Gradients flow through h to every raw variable.
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.apply(x))) as tf.Scalar);
    for (const p of model.params) {
      const gradient = await grads[p.variable.name]!.data();
      expect(gradient.every(Number.isFinite)).toBe(true);
      if (p.name.endsWith('/kernel')) expect(gradient.some((g) => g !== 0)).toBe(true);
    }
    tf.dispose([value, ...Object.values(grads), wrapped!, written!, plain!, x]);
    model.dispose();
    reference.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('includeHead targets the head too; without a transform the wrapper is the plain model', async () => {
    const x = tf.randomUniform([2, 784], 0, 1, 'float32', 2) as tf.Tensor2D;
    const withHead = normalisedModel(buildModel('mlp', { width: 4, depth: 1, seed: 1 }), {
      transform: methodTransform({ method: 'spectral', order: 0, powerIterations: 32 }),
      includeHead: true,
      seed: 1,
    });
    expect(withHead.targets.map((t) => [t.param, t.head])).toEqual([
      ['dense0/kernel', false],
      ['dense1/kernel', true],
    ]);
    const plain = normalisedModel(buildModel('mlp', { width: 4, depth: 1, seed: 1 }), { transform: undefined, includeHead: false, seed: 1 });
    const [a, b] = tf.tidy(() => [plain.apply(x), plain.inner.apply(x)]);
    expect(await a!.data()).toEqual(await b!.data());
    tf.dispose([a!, b!, x]);
    withHead.dispose();
    plain.dispose();
  });
});

describe('orthonormal family', () => {
  it('is registered under its own name and needs tfjs', () => {
    expect(orthonormalFamily.name).toBe('orthonormal');
    expect(orthonormalRunner.usesTensorflow).toBe(true);
  });

  it('refuses the LSTM, other data sets and unknown keys', () => {
    const lstm = orthonormalParams.safeParse({ arch: 'lstm' });
    expect(lstm.success).toBe(false);
    expect(lstm.error!.issues[0]!.message).toMatch(/LSTM.*use mlp or cnn/);
    expect(orthonormalParams.safeParse({ dataset: 'mnist8' }).success).toBe(false);
    expect(orthonormalParams.safeParse({ method: 'orth-reg', lamda: 0.1 }).success).toBe(false);
    expect(orthonormalParams.safeParse({ method: 'orthreg' }).success).toBe(false);
  });

  it('the runner refuses an LSTM that got past the schema', async () => {
    const params = { ...orthonormalParams.parse(TINY), arch: 'lstm' } as unknown as OrthonormalParams;
    await expect(orthonormalRunner.run(params, recordingContext(1, backend).ctx)).rejects.toBeInstanceOf(TrialInputError);
  });

  const cases = (['mlp', 'cnn'] as const).flatMap((arch) => ORTHONORMAL_METHODS.map((method) => [arch, method] as const));
  it.each(cases)('%s, %s: reports every epoch, a finite summary and the orthogonality error per layer, and frees its tensors', async (arch, method) => {
    const before = tf.memory().numTensors;
    const params = orthonormalParams.parse({ ...TINY, arch, method, width: TINY_SHAPE[arch].width, lambda: 0.01, order: 2 });
    const { ctx, points } = recordingContext(3, backend);
    const summary = await orthonormalRunner.run(params, ctx);
    const layerKeys = TINY_SHAPE[arch].hidden.map((layer) => `orthError.${layer}`);
    expect(points.map((p) => p.step)).toEqual([1, 2]);
    for (const { metrics } of points) {
      expect(Object.keys(metrics).sort()).toEqual(['accuracy', 'loss', 'orthError', ...layerKeys, 'testAccuracy', 'testLoss'].sort());
      expect(metrics.orthError).toBeCloseTo((metrics[layerKeys[0]!]! + metrics[layerKeys[1]!]!) / 2, 5);
    }
    expect(Object.keys(summary).sort()).toEqual(
      ['accuracy', 'loss', 'orthError', ...layerKeys, 'parameters', 'secondsPerStep', 'testAccuracy', 'testLoss', 'trainSeconds'].sort(),
    );
    for (const value of Object.values(summary)) expect(Number.isFinite(value)).toBe(true);
    for (const key of Object.keys(points[1]!.metrics)) expect(summary[key]).toBe(points[1]!.metrics[key]);
    expect(summary.secondsPerStep).toBeGreaterThan(0);
    expect(summary.secondsPerStep).toBeCloseTo(summary.trainSeconds! / 8, 10);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('includeHead reports the head as well', async () => {
    const params = orthonormalParams.parse({ ...TINY, epochs: 1, width: 8, method: 'aon', includeHead: true });
    const { ctx, points } = recordingContext(4, backend);
    const summary = await orthonormalRunner.run(params, ctx);
    expect(Object.keys(points[0]!.metrics).filter((k) => k.startsWith('orthError.'))).toEqual(['orthError.dense0', 'orthError.dense1', 'orthError.dense2']);
    expect(Number.isFinite(summary['orthError.dense2'])).toBe(true);
  });

  it('on the same seed, orth-reg with λ > 0 ends with a smaller orthogonality error of W than none, and aon with a smaller one than both', async () => {
    const run = async (overrides: Record<string, unknown>) =>
      orthonormalRunner.run(orthonormalParams.parse({ ...TINY, width: 16, epochs: 3, learningRate: 3e-3, ...overrides }), recordingContext(5, backend).ctx);
    const none = await run({ method: 'none' });
    const regularised = await run({ method: 'orth-reg', lambda: 0.1 });
    const normalised = await run({ method: 'aon', order: 3 });
    console.log(`orthError on ${backend}: none ${none.orthError!.toFixed(3)}, orth-reg λ=0.1 ${regularised.orthError!.toFixed(3)}, aon K=3 ${normalised.orthError!.toFixed(3)}`);
    for (const layer of ['dense0', 'dense1']) expect(regularised[`orthError.${layer}`]!).toBeLessThan(none[`orthError.${layer}`]!);
    expect(normalised.orthError!).toBeLessThan(regularised.orthError!);
  });
});
