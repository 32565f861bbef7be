import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { buildModel } from '../../src/experiments/models/build';
import { Rng } from '../../src/experiments/rng';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'same' }, // the CNN's first layer
  { x: [2, 14, 14, 8], filter: [3, 3, 8, 16], strides: 1, pad: 'same' }, // and its second
  { x: [3, 9, 11, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' }, // asymmetric 'same' padding
  { x: [2, 10, 10, 3], filter: [3, 3, 3, 2], strides: 1, pad: 'valid' },
  { x: [2, 11, 9, 2], filter: [5, 3, 2, 3], strides: [2, 3], pad: 'valid' }, // rows the stride skips
  { x: [1, 7, 7, 4], filter: [2, 2, 4, 4], strides: 2, pad: 'valid' },
  { x: [2, 6, 8, 3], filter: [3, 2, 3, 2], strides: [1, 2], pad: 'same' },
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
];

function randomValues(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.normal());
}

/** Runs the kernel on the named backend with identical inputs. */
async function filterGradient(backend: string, c: Case, xValues: Float32Array, dyValues: Float32Array, dyShape: number[]): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(xValues, c.x);
  const dy = tf.tensor(dyValues, dyShape);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
  const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  expect(dw.shape).toEqual(c.filter);
  const values = (await dw.data()) as Float32Array;
  tf.dispose([x, dy, dw]);
  return values;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]!));
  return max;
}

describe('Conv2DBackpropFilter on wasm', () => {
  const previous = process.env.SWEEP_TFJS_BACKEND;
  beforeAll(async () => {
    process.env.SWEEP_TFJS_BACKEND = 'wasm';
    expect(await initBackend()).toBe('wasm');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.SWEEP_TFJS_BACKEND;
    else process.env.SWEEP_TFJS_BACKEND = previous;
  });

  it('is registered for wasm by initBackend', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(cases.map((c) => [`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`, c] as const))(
    'matches the cpu kernel: %s',
    async (_name, c) => {
      const rng = new Rng(c.x.reduce((a, b) => a * 31 + b, 7));
      const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, undefined, false, 'channelsLast');
      const xValues = randomValues(rng, c.x.reduce((a, b) => a * b, 1));
      const dyValues = randomValues(rng, info.outShape.reduce((a, b) => a * b, 1));
      const onWasm = await filterGradient('wasm', c, xValues, dyValues, info.outShape);
      const onCpu = await filterGradient('cpu', c, xValues, dyValues, info.outShape);
      const scale = maxAbs(onCpu);
      expect(scale).toBeGreaterThan(0.1); // a real gradient, not zeros on both sides
      // 1e-4 absolute for entries of order 1, relative beyond: the cpu kernel sums in float64,
      // XNNPACK in float32, and the 28×28 case sums 3,136 N(0,1) products into entries up to
      // ~120 (measured against a float64 reference: cpu off by 4e-6, wasm by 1.2e-4 = 1e-6 relative).
      expect(maxAbsDiff(onWasm, onCpu)).toBeLessThan(1e-4 * Math.max(1, scale));
    },
  );

  it('leaves no tensors or backend buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 9, 9, 3]) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 5, 5, 4]) as tf.Tensor4D;
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 4] };
    const before = tf.memory();
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
    dw.dispose();
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numDataBuffers).toBe(before.numDataBuffers);
    tf.dispose([x, dy]);
  });

  it('gives the same CNN gradients on wasm as on cpu', async () => {
    const rng = new Rng(11);
    const batch = 8;
    const images = Float32Array.from({ length: batch * 784 }, () => rng.next());
    const labels = Int32Array.from({ length: batch }, () => rng.int(10));

    const gradients = async (backend: string): Promise<Map<string, Float32Array>> => {
      await tf.setBackend(backend);
      const model = buildModel('cnn', { width: 4, seed: 5 });
      const x = tf.tensor2d(images, [batch, 784]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
      const { grads, value } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, model.apply(x)) as tf.Scalar,
        model.params.map((p) => p.variable),
      );
      const out = new Map<string, Float32Array>();
      for (const p of model.params) out.set(p.name, (await grads[p.variable.name]!.data()) as Float32Array);
      tf.dispose([x, y, value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };

    const onWasm = await gradients('wasm');
    const onCpu = await gradients('cpu');
    expect([...onWasm.keys()]).toEqual(['conv0/kernel', 'conv0/bias', 'conv1/kernel', 'conv1/bias', 'dense/kernel', 'dense/bias']);
    for (const [name, cpuGrad] of onCpu) {
      expect(maxAbs(cpuGrad), name).toBeGreaterThan(0);
      expect(maxAbsDiff(onWasm.get(name)!, cpuGrad), name).toBeLessThan(1e-4);
    }
  });
});
