/**
 * Same answers on every backend: the numbers the studies are made of, computed
 * on each tfjs backend present here (pure-JS cpu, the reference; wasm; native
 * TensorFlow on the CPU or a GPU) from the same seeds, must agree.
 *
 * Weights are drawn in JavaScript from the seed (models/init.ts), so every
 * backend starts from bit-identical parameters and inputs; what may differ is
 * float32 rounding (summation order, fused kernels, FMA). Tolerances, relative
 * to the largest magnitude of the reference quantity:
 *   forward values 1e-5, gradients 1e-4, and a short training run's
 *   per-epoch losses 1e-3 (rounding differences compound over the updates).
 * An L∞ corruption direction is sign(g): compared where |g| > 1e-3·max|g|, where
 * rounding cannot flip a sign.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradientDirection } from '../../src/experiments/corruption/directions';
import { loadDataset } from '../../src/experiments/data/load';
import { variablesOf, type Arch, type Model } from '../../src/experiments/models/model';
import { buildModel } from '../../src/experiments/models/build';
import { Rng } from '../../src/experiments/rng';
import { buildTransferNet, exportWeights } from '../../src/experiments/transfer/network';
import { train } from '../../src/experiments/training';
import { initPresentBackends, type PresentBackend } from '../support/backends';

const FORWARD_TOLERANCE = 1e-5;
const GRADIENT_TOLERANCE = 1e-4;
const TRAINING_TOLERANCE = 1e-3;

/** Named float arrays: what one backend computed. */
type Fingerprint = Map<string, Float32Array>;

/** The backends present, the reference (cpu) first, with what each is. */
let present: PresentBackend[] = [];

beforeAll(async () => {
  present = await initPresentBackends();
  console.log(`backends compared: ${present.map((p) => p.label).join('; ')}`);
}, 60_000);

function randomInput(seed: number, shape: number[], scale = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => scale * rng.next()), shape);
}

function oneHot(seed: number, n: number, classes: number): tf.Tensor2D {
  const rng = new Rng(seed);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, () => Math.floor(rng.next() * classes)), 'int32'), classes).toFloat()) as tf.Tensor2D;
}

/** Logits and the loss gradient of every parameter of `model` at a fixed batch. */
async function modelFingerprint(model: Model, seed: number): Promise<Fingerprint> {
  const x = randomInput(seed, [6, model.inputSize]) as tf.Tensor2D;
  const y = oneHot(seed + 1, 6, model.numClasses);
  const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar, variablesOf(model));
  const out: Fingerprint = new Map();
  const logits = model.apply(x);
  out.set('logits', (await logits.data()) as Float32Array);
  out.set('loss', (await value.data()) as Float32Array);
  for (const p of model.params) out.set(`grad ${p.name}`, (await grads[p.variable.name]!.data()) as Float32Array);
  tf.dispose([x, y, logits, value, ...Object.values(grads)]);
  return out;
}

/** Runs `compute` on every present backend, returns the fingerprints by engine name. */
async function onEveryBackend(compute: () => Promise<Fingerprint>): Promise<Map<string, Fingerprint>> {
  const results = new Map<string, Fingerprint>();
  for (const { engine, label } of present) {
    await tf.setBackend(engine);
    results.set(label, await compute());
  }
  return results;
}

function maxAbs(values: Float32Array): number {
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

/** Largest |a − b| relative to max |reference|, over the entries `where` allows. */
function relativeError(reference: Float32Array, other: Float32Array, where: (i: number) => boolean = () => true): number {
  expect(other.length).toBe(reference.length);
  const scale = Math.max(maxAbs(reference), 1e-12);
  let worst = 0;
  for (let i = 0; i < reference.length; i++) if (where(i)) worst = Math.max(worst, Math.abs(reference[i]! - other[i]!) / scale);
  return worst;
}

/** Checks every quantity of every backend against the reference; prints each backend's worst error. */
function expectAgreement(results: Map<string, Fingerprint>, tolerance: (name: string) => number): void {
  const [first, ...others] = [...results.entries()];
  const [referenceLabel, reference] = first!;
  for (const [label, fingerprint] of others) {
    let worst = { error: 0, name: '' };
    for (const [name, want] of reference) {
      const got = fingerprint.get(name)!;
      const error = relativeError(want, got);
      if (error >= worst.error) worst = { error, name };
      expect(error, `${name}: ${label} vs ${referenceLabel}, relative error ${error.toExponential(2)}`).toBeLessThanOrEqual(tolerance(name));
    }
    console.log(`${expect.getState().currentTestName}: ${label}: worst relative error ${worst.error.toExponential(2)} (${worst.name})`);
  }
}

const byKind = (name: string) => (name.startsWith('grad') ? GRADIENT_TOLERANCE : FORWARD_TOLERANCE);

describe('every backend present agrees with the pure-JS reference', () => {
  it('has more than the reference to compare (wasm ships with the package), and would see a real discrepancy', () => {
    expect(present.map((p) => p.choice)).toContain('cpu');
    expect(present.length).toBeGreaterThanOrEqual(2);
    const values = Float32Array.from({ length: 100 }, (_, i) => Math.sin(i));
    expect(relativeError(values, values.map((v, i) => (i === 7 ? v + 1e-3 : v)))).toBeGreaterThan(GRADIENT_TOLERANCE);
  });

  const builders: Record<Arch, (seed: number) => Model> = {
    mlp: (seed) => buildModel('mlp', { width: 24, depth: 2, seed }),
    cnn: (seed) => buildModel('cnn', { width: 3, seed }),
    lstm: (seed) => buildModel('lstm', { width: 12, seed }),
  };
  it.each(['mlp', 'cnn', 'lstm'] as const)('%s: logits, loss and every parameter gradient', async (arch) => {
    const results = await onEveryBackend(async () => {
      const model = builders[arch](21);
      try {
        return await modelFingerprint(model, 5);
      } finally {
        model.dispose();
      }
    });
    expectAgreement(results, byKind);
  });

  it("the conv filter gradient (wasm's is sweeplab's replacement kernel), same and valid padding, strides 1 and 2", async () => {
    const results = await onEveryBackend(async () => {
      const out: Fingerprint = new Map();
      const x = randomInput(31, [2, 9, 9, 3]) as tf.Tensor4D;
      const filter = randomInput(32, [3, 3, 3, 4], 2) as tf.Tensor4D;
      for (const padding of ['same', 'valid'] as const) {
        for (const stride of [1, 2] as const) {
          const weights = randomInput(33, tf.conv2d(x, filter, stride, padding).shape);
          const gradient = tf.grad((f) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, padding), weights)))(filter);
          out.set(`grad filter ${padding} stride ${stride}`, (await gradient.data()) as Float32Array);
          tf.dispose([weights, gradient]);
        }
      }
      tf.dispose([x, filter]);
      return out;
    });
    expectAgreement(results, () => GRADIENT_TOLERANCE);
  });

  it('the corruption study: gradient-based L2 and L∞ directions and their first-order estimates', async () => {
    const results = await onEveryBackend(async () => {
      const model = buildModel('mlp', { width: 24, depth: 2, seed: 41 });
      const x = randomInput(42, [16, 784]) as tf.Tensor2D;
      const y = oneHot(43, 16, 10);
      const { grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar, variablesOf(model));
      const gradient = variablesOf(model).map((v) => grads[v.name]!);
      const out: Fingerprint = new Map();
      const l2 = gradientDirection(gradient, 'L2');
      const linf = gradientDirection(gradient, 'Linf');
      out.set('grad L2 direction', (await tf.concat(l2.direction.map((d) => d.flatten())).data()) as Float32Array);
      out.set('grad raw gradient', (await tf.concat(gradient.map((g) => g.flatten())).data()) as Float32Array);
      out.set('L2 dual norm', Float32Array.of(l2.dualNorm));
      out.set('Linf dual norm', Float32Array.of(linf.dualNorm));
      out.set('sign Linf direction', (await tf.concat(linf.direction.map((d) => d.flatten())).data()) as Float32Array);
      tf.dispose([x, y, ...gradient, ...l2.direction, ...linf.direction]);
      model.dispose();
      return out;
    });
    const [reference, ...others] = [...results.values()];
    for (const other of others) {
      const g = reference!.get('grad raw gradient')!;
      const big = maxAbs(g) * 1e-3;
      expect(relativeError(reference!.get('sign Linf direction')!, other.get('sign Linf direction')!, (i) => Math.abs(g[i]!) > big)).toBe(0);
    }
    expectAgreement(
      new Map([...results].map(([label, f]) => [label, new Map([...f].filter(([name]) => !name.startsWith('sign')))])),
      (name) => (name.includes('dual norm') ? FORWARD_TOLERANCE * 10 : GRADIENT_TOLERANCE),
    );
  });

  it.each(['mlp', 'cnn', 'lstm'] as const)('the transfer study: %s with PTUs, its gate means, logits and gradients', async (arch) => {
    const width = { mlp: 8, cnn: 2, lstm: 6 }[arch];
    const results = await onEveryBackend(async () => {
      const source = buildTransferNet({ arch, width, numClasses: 10, seed: 51, modes: ['fresh', 'fresh'] });
      const ptu = buildTransferNet({ arch, width, numClasses: 5, seed: 52, modes: ['ptu', 'ptu'], source: await exportWeights(source) });
      const x = randomInput(53, [4, 784]) as tf.Tensor2D;
      const out = await modelFingerprint(ptu, 54);
      const means = await ptu.gateMeans(x);
      out.set('gate means', Float32Array.from(means.flatMap((m) => [m.g, m.r])));
      tf.dispose(x);
      source.dispose();
      ptu.dispose();
      return out;
    });
    expectAgreement(results, byKind);
  });

  it('the training loop: two epochs of an MLP give the same losses and accuracies', async () => {
    const trainSet = loadDataset('mnist', 'train', 256, 1);
    const testSet = loadDataset('mnist', 'test', 128, 2);
    const results = await onEveryBackend(async () => {
      const model = buildModel('mlp', { width: 32, depth: 1, seed: 61 });
      try {
        const history = await train(model, trainSet, testSet, { optimizer: 'adam', learningRate: 1e-3, epochs: 2, batchSize: 64, seed: 62 });
        return new Map(history.flatMap((m) => [
          [`epoch ${m.epoch} loss`, Float32Array.of(m.loss)],
          [`epoch ${m.epoch} test loss`, Float32Array.of(m.testLoss)],
        ]));
      } finally {
        model.dispose();
      }
    });
    expectAgreement(results, () => TRAINING_TOLERANCE);
  });
});
