/**
 * The builder's per-layer hooks (models/hooks.ts): a pass with hooks that do
 * nothing is the plain pass, bit for bit; a weight transform is inside the
 * graph (the gradient is the chain rule's); the pre-activation read-out is what
 * the layer's ReLU (and pooling) turn into its output; an output hook is what
 * the next layer reads.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/experiments/models/build';
import { hookedModel } from '../../src/experiments/models/hooked-model';
import type { LayerRef } from '../../src/experiments/models/hooks';
import type { Arch } from '../../src/experiments/models/model';
import { activationPattern, forwardWithPreActivations } from '../../src/experiments/models/readout';
import { buildTransferNet, exportWeights } from '../../src/experiments/transfer/network';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let x: tf.Tensor2D;
beforeAll(() => {
  x = tf.randomUniform([4, 784], 0, 1, 'float32', 3) as tf.Tensor2D;
});
afterAll(() => x.dispose());

const WIDTH: Record<Arch, number> = { mlp: 6, cnn: 2, lstm: 5 };
const ARCHS = Object.keys(WIDTH) as Arch[];

describe('forward hooks', () => {
  it.each(ARCHS)('%s: hooks that return what they are given change nothing, bit for bit', async (arch) => {
    const model = buildModel(arch, { width: WIDTH[arch], depth: 2, seed: 9 });
    const seen: string[] = [];
    const plain = model.forward(x);
    const hooked = model.forward(x, {
      weight: (layer, name, w) => (seen.push(`w:${name}`), w),
      preActivation: (layer) => void seen.push(`z:${layer.name}`),
      output: (layer, h) => (seen.push(`h:${layer.name}`), h),
    });
    expect(await hooked.logits.data()).toEqual(await plain.logits.data());
    for (let i = 0; i < plain.hidden.length; i++) expect(await hooked.hidden[i]!.data()).toEqual(await plain.hidden[i]!.data());
    // Every weight once, head included; pre-activations of dense and conv hidden layers only.
    expect(seen.filter((s) => s.startsWith('w:')).map((s) => s.slice(2))).toEqual(model.params.map((p) => p.name));
    const zLayers = model.architecture.hidden.filter((l) => l.kind !== 'lstm').map((l) => `z:${l.name}`);
    expect(seen.filter((s) => s.startsWith('z:'))).toEqual(zLayers);
    expect(seen.filter((s) => s.startsWith('h:'))).toEqual(model.architecture.hidden.map((l) => `h:${l.name}`));
    model.dispose();
  });

  it('a weight transform is differentiated through: d/dW f(2W) = 2·f′(2W)', async () => {
    const hooked = buildModel('mlp', { width: 6, depth: 2, seed: 4 });
    const scaled = buildModel('mlp', { width: 6, depth: 2, seed: 4 });
    const target = (name: string) => name === 'dense1/kernel';
    scaled.params.filter((p) => target(p.name)).forEach((p) => p.variable.assign(tf.mul(p.variable, 2)));
    const double = { weight: (_: LayerRef, name: string, w: tf.Tensor) => (target(name) ? tf.mul(w, 2) : w) };
    const loss = (m: typeof hooked, hooks?: typeof double) => () => tf.sum(tf.square(m.forward(x, hooks).logits)) as tf.Scalar;
    expect(await hooked.forward(x, double).logits.data()).toEqual(await scaled.forward(x).logits.data());
    const kernelOf = (m: typeof hooked) => m.params.find((p) => target(p.name))!.variable;
    const gHooked = tf.variableGrads(loss(hooked, double), [kernelOf(hooked)]).grads[kernelOf(hooked).name]!;
    const gScaled = tf.variableGrads(loss(scaled), [kernelOf(scaled)]).grads[kernelOf(scaled).name]!;
    const expected = await tf.mul(gScaled, 2).data();
    const got = await gHooked.data();
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 4);
    hooked.dispose();
    scaled.dispose();
  });

  it('mlp: relu of the read-out pre-activations is the hidden output; the pattern says which units are on', async () => {
    const model = buildModel('mlp', { width: 6, depth: 3, seed: 2 });
    const { hidden, preActivations } = forwardWithPreActivations(model, x);
    expect(preActivations.map((p) => [p.layer.name, p.layer.index, p.z.shape])).toEqual([
      ['dense0', 0, [4, 6]],
      ['dense1', 1, [4, 6]],
      ['dense2', 2, [4, 6]],
    ]);
    for (const [i, { z }] of preActivations.entries()) {
      expect(await tf.relu(z).data()).toEqual(await hidden[i]!.data());
      const on = await activationPattern(z).data();
      const h = await hidden[i]!.data();
      for (let j = 0; j < h.length; j++) expect(on[j]).toBe(h[j]! > 0 ? 1 : 0);
    }
    model.dispose();
  });

  it('cnn: the read-out is before pooling, and pool(relu(z)) is the hidden output', async () => {
    const model = buildModel('cnn', { width: 2, seed: 2 });
    const { hidden, preActivations } = forwardWithPreActivations(model, x);
    expect(preActivations.map((p) => p.z.shape)).toEqual([
      [4, 28, 28, 2],
      [4, 14, 14, 4],
    ]);
    for (const [i, { z }] of preActivations.entries()) {
      const pooled = await tf.maxPool(tf.relu(z) as tf.Tensor4D, 2, 2, 'valid').data();
      const h = await hidden[i]!.data();
      for (let j = 0; j < h.length; j++) expect(h[j]).toBeCloseTo(pooled[j]!, 6);
    }
    model.dispose();
  });

  it('an output hook is what the next layer reads and what `hidden` reports', async () => {
    const model = buildModel('mlp', { width: 6, depth: 2, seed: 5 });
    const out = model.forward(x, { output: (layer, h) => (layer.index === 1 ? tf.zerosLike(h) : h) });
    expect(await out.hidden[1]!.data()).toEqual(new Float32Array(4 * 6));
    // With the last hidden layer zeroed, the logits are the head's bias (zero-initialised).
    expect(await out.logits.data()).toEqual(new Float32Array(4 * 10));
    model.dispose();
  });

  it('noise injected after a layer changes the logits, and the same seeded noise reproduces them', async () => {
    const model = buildModel('mlp', { width: 6, depth: 2, seed: 5 });
    const noisy = (seed: number) => ({ output: (layer: LayerRef, h: tf.Tensor) => tf.add(h, tf.randomNormal(h.shape, 0, 0.5, 'float32', seed + layer.index)) });
    const a = await model.forward(x, noisy(1)).logits.data();
    expect(await model.forward(x, noisy(1)).logits.data()).toEqual(a);
    expect(await model.forward(x, noisy(2)).logits.data()).not.toEqual(a);
    expect(await model.forward(x).logits.data()).not.toEqual(a);
    model.dispose();
  });

  it("a hooked model's own hooks act first, a caller's see what they made, and both read pre-activations", async () => {
    const inner = buildModel('mlp', { width: 6, depth: 2, seed: 5 });
    const doubled = hookedModel(inner, { weight: (_l, name, w) => (name === 'dense1/kernel' ? tf.mul(w, 2) : w), output: (_l, h) => tf.add(h, 1) });
    const seen: string[] = [];
    let kernel: tf.Tensor | undefined;
    const out = doubled.forward(x, {
      weight: (_l, name, w) => (name === 'dense1/kernel' && (kernel = w), w),
      output: (l, h) => (seen.push(`h:${l.name}`), h),
      preActivation: (l) => void seen.push(`z:${l.name}`),
    });
    const own = inner.params.find((p) => p.name === 'dense1/kernel')!.variable;
    expect(await kernel!.data()).toEqual(await tf.mul(own, 2).data());
    expect(seen).toEqual(['z:dense0', 'h:dense0', 'z:dense1', 'h:dense1']);
    // The caller's output hook saw the shifted outputs: every hidden value is at least 1.
    for (const h of out.hidden) expect((await tf.min(h).data())[0]).toBeGreaterThanOrEqual(1);
    expect(await doubled.apply(x).data()).toEqual(await out.logits.data());
    doubled.dispose();
  });

  it('under a PTU the weight and read-out hooks see every branch, the output hook the mixed output', async () => {
    const source = buildTransferNet({ arch: 'mlp', width: 4, numClasses: 10, seed: 1, modes: ['fresh', 'fresh'] });
    const net = buildTransferNet({ arch: 'mlp', width: 4, numClasses: 5, seed: 2, modes: ['ptu', 'fresh'], source: await exportWeights(source) });
    const z: string[] = [];
    const h: string[] = [];
    net.forward(x, { preActivation: (l) => void z.push(`${l.name}#${l.branch}`), output: (l, out) => (h.push(l.name), out) });
    expect(z).toEqual(['dense0#0', 'dense0#1', 'dense0#2', 'dense1#0']);
    expect(h).toEqual(['dense0', 'dense1']);
    source.dispose();
    net.dispose();
  });
});
