/**
 * The training loop's own kernels (training.ts, models/activation.ts), written out for
 * fewer native calls per step, against the tfjs ops they replace, on every
 * backend present: LeanAdam vs tf.train.adam, the native backend's fused
 * TensorFlow optimizers vs tf.train's and its one-kernel dense layer and
 * cross-entropy vs the tfjs ops they replace, crossEntropy vs
 * tf.losses.softmaxCrossEntropy (value and gradient), the two-kernel ReLU
 * gradient vs tf.relu's, and the CNN's relu(pool(conv) + b) vs pool(relu(conv + b)).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relu } from '../../src/experiments/models/activation';
import { Rng } from '../../src/experiments/rng';
import { crossEntropyKernel, denseKernel, type DenseActivation } from '../../src/experiments/kernels/native-dense';
import { NativeOptimizer } from '../../src/experiments/kernels/native-optimizer';
import { crossEntropy, LeanAdamOptimizer, MOMENTUM } from '../../src/experiments/training';
import { OPTIMIZER_NAMES, type OptimizerName } from '../../src/experiments/optimizer-names';
import { initPresentBackends } from '../support/backends';

let engines: string[] = [];
beforeAll(async () => {
  engines = (await initPresentBackends()).map((p) => p.engine);
}, 60_000);

function randomTensor(seed: number, shape: number[], scale = 1): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()), shape);
}

function maxRelativeError(a: Float32Array, b: Float32Array): number {
  let scale = 1e-12;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  return worst;
}

describe.each(['cpu', 'wasm', 'tensorflow'])('on the %s backend', (engine) => {
  const present = () => engines.includes(engine);

  it('LeanAdam follows tf.train.adam over 50 steps of a least-squares problem (relative 1e-5)', async ({ skip }) => {
    if (!present()) skip(`${engine} is not installed here`);
    await tf.setBackend(engine);
    const x = randomTensor(1, [32, 8]);
    const target = randomTensor(2, [32, 3]);
    const run = async (optimizer: tf.Optimizer) => {
      const w = tf.variable(randomTensor(3, [8, 3], 0.5));
      for (let step = 0; step < 50; step++) {
        optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.matMul(x, w), target))) as tf.Scalar, false, [w]);
      }
      const values = (await w.data()) as Float32Array;
      w.dispose();
      optimizer.dispose();
      return values;
    };
    const reference = await run(tf.train.adam(0.01));
    const lean = await run(new LeanAdamOptimizer(0.01));
    expect(maxRelativeError(reference, lean)).toBeLessThan(1e-5);
    tf.dispose([x, target]);
  });

  it('crossEntropy has the value and logit gradient of tf.losses.softmaxCrossEntropy (relative 1e-6)', async ({ skip }) => {
    if (!present()) skip(`${engine} is not installed here`);
    await tf.setBackend(engine);
    const logits = randomTensor(4, [16, 10], 3);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i * 7) % 10), 'int32'), 10).toFloat();
    const ours = tf.valueAndGrad((z: tf.Tensor) => crossEntropy(labels, z))(logits);
    const theirs = tf.valueAndGrad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, z) as tf.Scalar)(logits);
    expect(maxRelativeError((await theirs.value.data()) as Float32Array, (await ours.value.data()) as Float32Array)).toBeLessThan(1e-6);
    expect(maxRelativeError((await theirs.grad.data()) as Float32Array, (await ours.grad.data()) as Float32Array)).toBeLessThan(1e-6);
    tf.dispose([logits, labels, ours.value, ours.grad, theirs.value, theirs.grad]);
  });

  it("the two-kernel ReLU has tf.relu's values and gradient exactly", async ({ skip }) => {
    if (!present()) skip(`${engine} is not installed here`);
    await tf.setBackend(engine);
    const x = randomTensor(5, [64, 9]);
    const weights = randomTensor(6, [64, 9]);
    const ours = tf.valueAndGrad((z: tf.Tensor) => tf.sum(tf.mul(relu(z), weights)) as tf.Scalar)(x);
    const theirs = tf.valueAndGrad((z: tf.Tensor) => tf.sum(tf.mul(tf.relu(z), weights)) as tf.Scalar)(x);
    expect(await ours.grad.data()).toEqual(await theirs.grad.data());
    expect(await relu(x).data()).toEqual(await tf.relu(x).data());
    tf.dispose([x, weights, ours.value, ours.grad, theirs.value, theirs.grad]);
  });

  it('relu(maxPool(conv) + b) is pool(relu(conv + b)) bit for bit (the CNN computes the former)', async ({ skip }) => {
    if (!present()) skip(`${engine} is not installed here`);
    await tf.setBackend(engine);
    const conv = randomTensor(7, [2, 8, 8, 4]) as tf.Tensor4D;
    const bias = randomTensor(8, [4]);
    const pooledFirst = tf.relu(tf.add(tf.maxPool(conv, 2, 2, 'valid'), bias));
    const activatedFirst = tf.maxPool(tf.relu(tf.add(conv, bias)) as tf.Tensor4D, 2, 2, 'valid');
    expect(await pooledFirst.data()).toEqual(await activatedFirst.data());
    tf.dispose([conv, bias, pooledFirst, activatedFirst]);
  });
});

// TensorFlow's fused training kernels (kernels/native-optimizer.ts): native backend only.
describe('the native optimizers', () => {
  /** 50 steps of least squares from the same start; `between` runs after step 25 (an outside assignment). */
  async function leastSquares(optimizer: tf.Optimizer, between?: (w: tf.Variable) => void): Promise<Float32Array> {
    const x = randomTensor(1, [32, 8]);
    const target = randomTensor(2, [32, 3]);
    const start = randomTensor(3, [8, 3], 0.5);
    const w = tf.variable(start);
    start.dispose();
    for (let step = 0; step < 50; step++) {
      optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.matMul(x, w), target))) as tf.Scalar, false, [w]);
      if (step === 25) between?.(w);
    }
    const values = (await w.data()) as Float32Array;
    tf.dispose([w, x, target]);
    optimizer.dispose();
    return values;
  }

  const tfjsOptimizer: Record<OptimizerName, () => tf.Optimizer> = {
    sgd: () => tf.train.sgd(0.01),
    momentum: () => tf.train.momentum(0.01, MOMENTUM),
    adam: () => tf.train.adam(0.01),
    rmsprop: () => tf.train.rmsprop(0.01),
  };

  it.for(OPTIMIZER_NAMES)("the native %s follows tf.train's over 50 steps, an outside assignment included (relative 1e-5)", async (name, { skip }) => {
    if (!engines.includes('tensorflow')) skip('native TensorFlow is not installed here');
    await tf.setBackend('tensorflow');
    const halve = (w: tf.Variable) => {
      const half = tf.mul(w, 0.5);
      w.assign(half);
      half.dispose();
    };
    const before = tf.memory().numTensors;
    const native = await leastSquares(new NativeOptimizer(name, { learningRate: 0.01, momentum: name === 'momentum' ? MOMENTUM : undefined }), halve);
    expect(tf.memory().numTensors, 'the native optimizer frees its handles and scalars').toBe(before);
    const reference = await leastSquares(tfjsOptimizer[name](), halve);
    expect(maxRelativeError(reference, native)).toBeLessThan(1e-5);
    // The outside assignment mattered: without it the result differs.
    expect(maxRelativeError(reference, await leastSquares(new NativeOptimizer(name, { learningRate: 0.01, momentum: MOMENTUM })))).toBeGreaterThan(1e-3);
  });

  const composed: Record<DenseActivation, (z: tf.Tensor) => tf.Tensor> = { relu: tf.relu, tanh: tf.tanh, sigmoid: tf.sigmoid, linear: (z) => z };

  it.for(['relu', 'tanh', 'sigmoid', 'linear'] as const)('the %s dense kernel has the values and x, W, b gradients of matMul + add + activation (relative 1e-6)', async (activation, { skip }) => {
    if (!engines.includes('tensorflow')) skip('native TensorFlow is not installed here');
    await tf.setBackend('tensorflow');
    const [x, kernel, bias, weights] = [randomTensor(11, [16, 12]), randomTensor(12, [12, 7], 0.5), randomTensor(13, [7], 0.5), randomTensor(14, [16, 7])];
    const before = tf.memory().numTensors;
    const objective = (f: (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, w, b), weights));
    const ours = tf.grads(objective((a, w, b) => denseKernel(a, w, b, activation)))([x, kernel, bias]);
    const theirs = tf.grads(objective((a, w, b) => composed[activation](tf.add(tf.matMul(a, w), b))))([x, kernel, bias]);
    for (let i = 0; i < 3; i++) expect(maxRelativeError((await theirs[i]!.data()) as Float32Array, (await ours[i]!.data()) as Float32Array), `gradient ${i}`).toBeLessThan(1e-6);
    const value = denseKernel(x, kernel, bias, activation);
    const reference = tf.tidy(() => composed[activation](tf.add(tf.matMul(x, kernel), bias)));
    expect(maxRelativeError((await reference.data()) as Float32Array, (await value.data()) as Float32Array)).toBeLessThan(1e-6);
    tf.dispose([...ours, ...theirs, value, reference]);
    expect(tf.memory().numTensors, 'no tensor left behind').toBe(before);
    tf.dispose([x, kernel, bias, weights]);
  });

  it('the cross-entropy kernel has the value and logit gradient of tf.losses.softmaxCrossEntropy (relative 1e-6)', async ({ skip }) => {
    if (!engines.includes('tensorflow')) skip('native TensorFlow is not installed here');
    await tf.setBackend('tensorflow');
    const logits = randomTensor(15, [16, 10], 3);
    const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => (i * 3) % 10), 'int32'), 10).toFloat();
    const before = tf.memory().numTensors;
    // Scaled by 2.5 so the incoming gradient is not 1.
    const ours = tf.valueAndGrad((z: tf.Tensor) => tf.mul(crossEntropyKernel(labels, z), 2.5) as tf.Scalar)(logits);
    const theirs = tf.valueAndGrad((z: tf.Tensor) => tf.mul(tf.losses.softmaxCrossEntropy(labels, z), 2.5) as tf.Scalar)(logits);
    expect(maxRelativeError((await theirs.value.data()) as Float32Array, (await ours.value.data()) as Float32Array)).toBeLessThan(1e-6);
    expect(maxRelativeError((await theirs.grad.data()) as Float32Array, (await ours.grad.data()) as Float32Array)).toBeLessThan(1e-6);
    tf.dispose([ours.value, ours.grad, theirs.value, theirs.grad]);
    expect(tf.memory().numTensors, 'no tensor left behind').toBe(before);
    tf.dispose([logits, labels]);
  });
});
