/**
 * The PTU's gate algebra (ptu.ts): g = 1 reproduces the frozen source
 * activations exactly, g = 0 & r = 1 the target branch, g = 0 & r = 0 the
 * fresh branch, both for the combine formula and inside whole networks of
 * every architecture (per unit, per LSTM step, per CNN channel).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import type { Arch } from '../../src/experiments/models/model';
import { buildTransferNet, exportWeights, type TransferNet } from '../../src/experiments/transfer/network';
import { ptuCombine } from '../../src/experiments/transfer/ptu';
import type { NamedArray } from '../../src/experiments/artifacts/weights-codec';
import { Rng } from '../../src/experiments/rng';

beforeAll(async () => {
  await initBackend();
});

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.normal());
  return tf.tensor(values, shape);
}

describe('ptuCombine', () => {
  it('is exactly a_s at g = 1, a_t at g = 0 & r = 1, a_r at g = 0 & r = 0, and a convex mixture between', async () => {
    const rng = new Rng(7);
    const [aS, aT, aR] = [randomTensor(rng, [5, 6]), randomTensor(rng, [5, 6]), randomTensor(rng, [5, 6])] as const;
    const ones = tf.onesLike(aS);
    const zeros = tf.zerosLike(aS);
    expect(await ptuCombine(aS, aT, aR, ones, randomTensor(rng, [5, 6]).sigmoid()).data()).toEqual(await aS.data());
    expect(await ptuCombine(aS, aT, aR, zeros, ones).data()).toEqual(await aT.data());
    expect(await ptuCombine(aS, aT, aR, zeros, zeros).data()).toEqual(await aR.data());
    // g = r = 1/2: a_s/2 + a_t/4 + a_r/4.
    const half = tf.fill([5, 6], 0.5);
    const expected = tf.addN([tf.mul(aS, 0.5), tf.mul(aT, 0.25), tf.mul(aR, 0.25)]);
    const got = await ptuCombine(aS, aT, aR, half, half).data();
    const want = await expected.data();
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose([aS, aT, aR, ones, zeros, half, expected]);
  });
});

/** A saturating gate bias: σ(±1e4 + anything small) is exactly 1 or 0 in float32. */
const SATURATED = 1e4;

function setGateBiases(net: TransferNet, g: number, r: number): void {
  for (const unit of net.ptus) {
    if (!unit) continue;
    const [, bg, , br] = unit;
    bg.variable.assign(tf.fill(bg.variable.shape, g));
    br.variable.assign(tf.fill(br.variable.shape, r));
  }
}

async function hiddenOf(net: TransferNet, x: tf.Tensor2D): Promise<Float32Array[]> {
  const { hidden, logits } = net.forward(x);
  const values = await Promise.all(hidden.map((h) => h.data() as Promise<Float32Array>));
  tf.dispose([...hidden, logits]);
  return values;
}

const SIZES: Record<Arch, number> = { mlp: 6, cnn: 2, lstm: 4 };

describe.each(['mlp', 'cnn', 'lstm'] as const)('a %s with PTUs on both layers', (arch) => {
  let source: TransferNet;
  let sourceWeights: NamedArray[];
  let x: tf.Tensor2D;

  beforeAll(async () => {
    source = buildTransferNet({ arch, width: SIZES[arch], numClasses: 10, seed: 11, modes: ['fresh', 'fresh'] });
    sourceWeights = await exportWeights(source);
    const rng = new Rng(3);
    x = tf.tensor2d(new Float32Array(4 * 784).map(() => rng.next()), [4, 784]);
  });

  it('g = 1 reproduces the frozen source activations of every layer exactly', async () => {
    const ptu = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['ptu', 'ptu'], source: sourceWeights });
    // Make the target and fresh branches differ from the source, so equality is not an accident.
    for (const layer of ptu.branches) for (const p of layer[1]!) p.variable.assign(tf.mul(p.variable, 3));
    setGateBiases(ptu, SATURATED, 0);
    const [want, got] = [await hiddenOf(source, x), await hiddenOf(ptu, x)];
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual(want[0]);
    expect(got[1]).toEqual(want[1]);
    expect((await ptu.gateMeans(x)).map((m) => m.g)).toEqual([1, 1]);
    ptu.dispose();
  });

  it('g = 0, r = 1 is exactly the target branch (a network fine-tuned from its weights)', async () => {
    const ptu = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['ptu', 'ptu'], source: sourceWeights });
    // Move the target branch away from the source, as training would.
    const rng = new Rng(5);
    for (const layer of ptu.branches) {
      for (const p of layer[1]!) p.variable.assign(tf.add(p.variable, tf.mul(randomTensor(rng, p.variable.shape), 0.1)));
    }
    const targetWeights: NamedArray[] = (
      await Promise.all(ptu.branches.map((layer) => Promise.all(layer[1]!.map(async (p) => ({ name: p.name, shape: p.variable.shape, values: (await p.variable.data()) as Float32Array })))))
    ).flat();
    const reference = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['fine-tune', 'fine-tune'], source: targetWeights });
    setGateBiases(ptu, -SATURATED, SATURATED);
    const [want, got, sourceActs] = [await hiddenOf(reference, x), await hiddenOf(ptu, x), await hiddenOf(source, x)];
    expect(got[0]).toEqual(want[0]);
    expect(got[1]).toEqual(want[1]);
    expect(got[1]).not.toEqual(sourceActs[1]);
    const means = await ptu.gateMeans(x);
    expect(means.map((m) => [m.g, m.r])).toEqual([[0, 1], [0, 1]]);
    reference.dispose();
    ptu.dispose();
  });

  it('g = 0, r = 0 is exactly the fresh branch, which starts as the target-only network', async () => {
    const ptu = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['ptu', 'ptu'], source: sourceWeights });
    const scratch = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['fresh', 'fresh'] });
    setGateBiases(ptu, -SATURATED, -SATURATED);
    const [want, got] = [await hiddenOf(scratch, x), await hiddenOf(ptu, x)];
    expect(got[0]).toEqual(want[0]);
    expect(got[1]).toEqual(want[1]);
    scratch.dispose();
    ptu.dispose();
  });

  it('untouched gates start near an even mixture', async () => {
    const ptu = buildTransferNet({ arch, width: SIZES[arch], numClasses: 5, seed: 12, modes: ['ptu', 'ptu'], source: sourceWeights });
    for (const { g, r } of await ptu.gateMeans(x)) {
      expect(g).toBeGreaterThan(0.2);
      expect(g).toBeLessThan(0.8);
      expect(r).toBeGreaterThan(0.2);
      expect(r).toBeLessThan(0.8);
    }
    ptu.dispose();
  });
});
