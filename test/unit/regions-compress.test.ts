/**
 * Lossless compression by stable units (regions/compress.ts): removed and
 * folded units leave the function unchanged on the input box, and a unit
 * wrongly called stable does change it (so the check can fail).
 */
import { describe, expect, it } from 'vitest';
import { compressNetwork } from '../../src/experiments/regions/compress';
import { maxLogitDifference } from '../../src/experiments/regions/equivalence';
import { evaluateNetwork, type DenseLayerWeights, type ReluNetwork } from '../../src/experiments/regions/relu-network';
import { Rng } from '../../src/experiments/rng';

/** A layer from w[i][j] (input i → unit j). */
function layer(w: number[][], bias: number[]): DenseLayerWeights {
  const inputs = w.length;
  const units = bias.length;
  return { inputs, units, weights: Float64Array.from(w.flat()), bias: Float64Array.from(bias) };
}

function randomLayer(rng: Rng, inputs: number, units: number): number[][] {
  return Array.from({ length: inputs }, () => Array.from({ length: units }, () => rng.uniform(-1, 1)));
}

function boxInputs(rng: Rng, count: number, features: number): Float64Array {
  return Float64Array.from({ length: count * features }, () => rng.next());
}

/**
 * 3 inputs in [0, 1]³ → 6 hidden → 4 hidden → 2 outputs. Hidden layer 1:
 * units 0, 1 free; unit 2 has bias −10 (inactive on the box); units 3, 4 have
 * bias +10 (active); unit 5 = 2·unit 3 − 3·unit 4 in weights, bias +50 (active,
 * dependent: folds); plus, in layer 2, unit 3 with zero weights and bias 2 (a
 * constant: folds entirely).
 */
function network(): ReluNetwork {
  const rng = new Rng(5);
  const w1 = randomLayer(rng, 3, 6);
  for (const row of w1) row[5] = 2 * row[3]! - 3 * row[4]!;
  const w2 = randomLayer(rng, 6, 4);
  for (const row of w2) row[3] = 0;
  return {
    inputSize: 3,
    hidden: [layer(w1, [0.1, -0.2, -10, 10, 10, 50]), layer(w2, [0.05, -0.1, 0.2, 2])],
    output: layer(randomLayer(rng, 4, 2), [0.3, -0.3]),
  };
}

describe('compressNetwork', () => {
  it('removes inactive units and folds dependent active ones, the same function on the box', () => {
    const net = network();
    const compression = compressNetwork(net, [
      { inactive: [2], active: [3, 4, 5] },
      { inactive: [], active: [3] },
    ]);
    expect(compression.removedInactive).toEqual([1, 0]);
    expect(compression.foldedActive).toEqual([1, 1]);
    expect(compression.kept).toEqual([4, 3]);
    expect(compression.network.hidden.map((l) => [l.inputs, l.units])).toEqual([[3, 4], [4, 3]]);
    expect([compression.network.output.inputs, compression.network.output.units]).toEqual([3, 2]);
    const inputs = boxInputs(new Rng(1), 5000, 3);
    expect(maxLogitDifference(net, compression.network, inputs, 5000)).toBeLessThan(1e-12);
  });

  it('the units it was told are stable really are, on the box (the fixture is what it claims)', () => {
    const net = network();
    const inputs = boxInputs(new Rng(2), 2000, 3);
    for (let n = 0; n < 2000; n++) {
      const [z1, z2] = evaluateNetwork(net, inputs.subarray(n * 3, n * 3 + 3)).preActivations;
      expect(z1![2]).toBeLessThan(0);
      for (const j of [3, 4, 5]) expect(z1![j]).toBeGreaterThan(0);
      expect(z2![3]).toBe(2);
    }
  });

  it('a unit wrongly called stable changes the function: the equivalence check can fail', () => {
    const net = network();
    // Units 0 and 1 are not stable: dropping unit 0 as "inactive" must show.
    const wrong = compressNetwork(net, [
      { inactive: [0, 2], active: [] },
      { inactive: [], active: [] },
    ]);
    expect(maxLogitDifference(net, wrong.network, boxInputs(new Rng(3), 2000, 3), 2000)).toBeGreaterThan(1e-3);
  });

  it('independent active units stay, and nothing stable means nothing removed', () => {
    const net = network();
    const none = compressNetwork(net, [
      { inactive: [], active: [] },
      { inactive: [], active: [] },
    ]);
    expect(none.kept).toEqual([6, 4]);
    const independent = compressNetwork(net, [
      { inactive: [], active: [3, 4] },
      { inactive: [], active: [] },
    ]);
    expect(independent.foldedActive).toEqual([0, 0]);
    expect(maxLogitDifference(net, none.network, boxInputs(new Rng(4), 500, 3), 500)).toBe(0);
  });

  it('a layer whose units are all inactive leaves a constant network', () => {
    const net = network();
    const compression = compressNetwork(net, [
      { inactive: [0, 1, 2, 3, 4, 5], active: [] },
      { inactive: [], active: [] },
    ]);
    expect(compression.kept).toEqual([0, 4]);
    const out = evaluateNetwork(compression.network, [0.5, 0.5, 0.5]).logits;
    expect(out.length).toBe(2);
  });
});
