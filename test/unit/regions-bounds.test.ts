/**
 * Pre-activation bounds of the regions study (interval arithmetic, then the
 * MILP tightening) against brute force: on 2-D inputs, a 201×201 grid of the
 * box and, for the first layer the MILP tightens, the exact optimum over the
 * box (the max of a function that is linear on each cell of the arrangement
 * of layer 0's lines is attained at a cell vertex, and those vertices are
 * enumerable); on a 10-D input with solves cut short by their time limit,
 * 20,000 random points.
 */
import { describe, expect, it } from 'vitest';
import { intervalBounds, propagateInterval } from '../../src/experiments/regions/interval-bounds';
import { BOUND_PADDING, stableUnits, tightenBounds, type PreActivationBounds } from '../../src/experiments/regions/milp-bounds';
import { evaluateNetwork, unitBox, type DenseLayerWeights, type InputBox, type ReluNetwork } from '../../src/experiments/regions/relu-network';
import { Rng } from '../../src/experiments/rng';
import { layer, randomLayer, randomNetwork } from '../support/relu-networks';

/** Every point of an n×n grid of a 2-D box. */
function* grid2d(box: InputBox, n: number): Generator<[number, number]> {
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x0 = box.lower[0]! + ((box.upper[0]! - box.lower[0]!) * i) / (n - 1);
      const x1 = box.lower[1]! + ((box.upper[1]! - box.lower[1]!) * k) / (n - 1);
      yield [x0, x1];
    }
  }
}

/** Per layer and unit, the min and max pre-activation over some points. */
function observedRanges(net: ReluNetwork, points: Iterable<ArrayLike<number>>): { min: Float64Array; max: Float64Array }[] {
  const ranges = net.hidden.map((l) => ({ min: new Float64Array(l.units).fill(Infinity), max: new Float64Array(l.units).fill(-Infinity) }));
  for (const x of points) {
    evaluateNetwork(net, x).preActivations.forEach((z, l) => {
      const r = ranges[l]!;
      for (let j = 0; j < z.length; j++) {
        if (z[j]! < r.min[j]!) r.min[j] = z[j]!;
        if (z[j]! > r.max[j]!) r.max[j] = z[j]!;
      }
    });
  }
  return ranges;
}

/**
 * The exact min and max of layer 1's pre-activations over a 2-D box: z¹ is
 * linear on each cell cut out of the box by layer 0's lines z⁰_i = 0, and a
 * linear function on a polygon is extreme at a vertex, so it suffices to
 * evaluate z¹ at every intersection (inside the box) of two of those lines or
 * box edges.
 */
function exactLayer1Range(net: ReluNetwork, box: InputBox): { min: Float64Array; max: Float64Array } {
  const first = net.hidden[0]!;
  // Lines a·x0 + b·x1 + c = 0.
  const lines: [number, number, number][] = [
    [1, 0, -box.lower[0]!],
    [1, 0, -box.upper[0]!],
    [0, 1, -box.lower[1]!],
    [0, 1, -box.upper[1]!],
  ];
  for (let j = 0; j < first.units; j++) lines.push([first.weights[j]!, first.weights[first.units + j]!, first.bias[j]!]);
  const vertices: [number, number][] = [];
  for (let p = 0; p < lines.length; p++) {
    for (let q = p + 1; q < lines.length; q++) {
      const [a1, b1, c1] = lines[p]!;
      const [a2, b2, c2] = lines[q]!;
      const det = a1 * b2 - a2 * b1;
      if (Math.abs(det) < 1e-12) continue;
      const x0 = (b1 * c2 - b2 * c1) / det;
      const x1 = (c1 * a2 - c2 * a1) / det;
      const slack = 1e-12;
      if (x0 < box.lower[0]! - slack || x0 > box.upper[0]! + slack || x1 < box.lower[1]! - slack || x1 > box.upper[1]! + slack) continue;
      vertices.push([Math.min(box.upper[0]!, Math.max(box.lower[0]!, x0)), Math.min(box.upper[1]!, Math.max(box.lower[1]!, x1))]);
    }
  }
  return observedRanges(net, vertices)[1]!;
}

/** The padding tightenBounds applies to unit j of layer l (see milp-bounds.ts). */
function padding(net: ReluNetwork, bounds: PreActivationBounds, l: number, j: number): number {
  const layerWeights = net.hidden[l]!;
  const previous = bounds.layers[l - 1]!;
  let scale = Math.abs(layerWeights.bias[j]!);
  for (let i = 0; i < layerWeights.inputs; i++) {
    const magnitude = Math.max(0, previous.upper[i]!); // h_i = ReLU(z_i) is in [0, max(U_i, 0)]
    scale += Math.abs(layerWeights.weights[i * layerWeights.units + j]!) * magnitude;
  }
  return BOUND_PADDING * (1 + scale);
}

/**
 * Per unit, an upper bound on |z(x) − z(g)| when x and g differ by at most `d`
 * in every coordinate: the product of the absolute weight matrices (ReLU is
 * 1-Lipschitz), applied to d·1.
 */
function lipschitzSpread(net: ReluNetwork, d: number): Float64Array[] {
  const spreads: Float64Array[] = [];
  let previous = new Float64Array(net.inputSize).fill(d);
  for (const l of net.hidden) {
    const spread = new Float64Array(l.units);
    for (let i = 0; i < l.inputs; i++) for (let j = 0; j < l.units; j++) spread[j]! += Math.abs(l.weights[i * l.units + j]!) * previous[i]!;
    spreads.push(spread);
    previous = spread;
  }
  return spreads;
}

describe('interval bounds', () => {
  it('propagates a hand-computed layer: negative weights take the opposite end', () => {
    // z0 = 2·h0 − 3·h1 + 1, z1 = −h0 + 0·h1 − 0.5 over h0 ∈ [−1, 2], h1 ∈ [0, 1].
    const bounds = propagateInterval(layer([[2, -1], [-3, 0]], [1, -0.5]), [-1, 0], [2, 1]);
    expect(Array.from(bounds.lower)).toEqual([2 * -1 - 3 * 1 + 1, -2 - 0.5]);
    expect(Array.from(bounds.upper)).toEqual([2 * 2 - 3 * 0 + 1, 1 - 0.5]);
  });

  it('applies ReLU between layers and is exact on the first layer over a box', () => {
    // Layer 0: z = x0 − x1 on [0, 1]²: [−1, 1]. Layer 1: z = 1·ReLU(z0) − 2 → [−2, −1].
    const net: ReluNetwork = { inputSize: 2, hidden: [layer([[1], [-1]], [0]), layer([[1]], [-2])], output: layer([[1]], [0]) };
    const [first, second] = intervalBounds(net, unitBox(2));
    expect([first!.lower[0], first!.upper[0]]).toEqual([-1, 1]);
    expect([second!.lower[0], second!.upper[0]]).toEqual([-2, -1]);
  });

  it('rejects a box of the wrong size or with lower > upper', () => {
    const net = randomNetwork(1, [2, 3, 1]);
    expect(() => intervalBounds(net, unitBox(3))).toThrow(RangeError);
    expect(() => intervalBounds(net, { lower: Float64Array.of(0, 1), upper: Float64Array.of(1, 0) })).toThrow(RangeError);
  });
});

describe('MILP-tightened bounds on 2-D inputs against brute force', () => {
  const GRID = 201;
  const cases = [
    { seed: 1, sizes: [2, 6, 5, 3] },
    { seed: 2, sizes: [2, 6, 5, 3] },
    { seed: 3, sizes: [2, 6, 5, 3] },
    { seed: 4, sizes: [2, 6, 5, 4, 3] },
    { seed: 5, sizes: [2, 8, 6, 4, 3] },
  ];

  it.each(cases)('seed $seed, $sizes: sound on the grid, no looser than intervals, exact on layer 1, attained by the grid deeper', async ({ seed, sizes }) => {
    const net = randomNetwork(seed, sizes);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30, relativeGap: 0 });
    expect(bounds.timeLimitHits).toBe(0);
    expect(bounds.fallbacks).toBe(0);
    // Two solves per unit of every layer after the first.
    expect(bounds.solves).toBe(2 * sizes.slice(2, -1).reduce((sum, units) => sum + units, 0));

    const observed = observedRanges(net, grid2d(box, GRID));
    const spread = lipschitzSpread(net, 0.5 / (GRID - 1));
    let tightened = 0;
    bounds.layers.forEach((b, l) => {
      for (let j = 0; j < b.lower.length; j++) {
        // Sound: every grid point inside.
        expect(observed[l]!.min[j]!).toBeGreaterThanOrEqual(b.lower[j]! - 1e-9);
        expect(observed[l]!.max[j]!).toBeLessThanOrEqual(b.upper[j]! + 1e-9);
        // At least as tight as interval arithmetic.
        expect(b.lower[j]!).toBeGreaterThanOrEqual(b.intervalLower[j]!);
        expect(b.upper[j]!).toBeLessThanOrEqual(b.intervalUpper[j]!);
        if (b.upper[j]! < b.intervalUpper[j]! - 1e-6 || b.lower[j]! > b.intervalLower[j]! + 1e-6) tightened++;
        // Attained: every box point is within half a grid step of a grid point.
        if (l === 0) {
          expect(b.upper[j]! - observed[0]!.max[j]!).toBeLessThanOrEqual(spread[0]![j]! + 1e-12);
          expect(observed[0]!.min[j]! - b.lower[j]!).toBeLessThanOrEqual(spread[0]![j]! + 1e-12);
        } else {
          const slack = spread[l]![j]! + 2 * padding(net, bounds, l, j) + 1e-6;
          expect(b.upper[j]! - observed[l]!.max[j]!).toBeLessThanOrEqual(slack);
          expect(observed[l]!.min[j]! - b.lower[j]!).toBeLessThanOrEqual(slack);
        }
      }
    });
    // Deeper layers are where intervals lose: the MILP must have improved some unit.
    expect(tightened).toBeGreaterThan(0);

    // Layer 1 against its exact optimum: sound (never inside it) and tight to the padding plus HiGHS's absolute gap.
    const exact = exactLayer1Range(net, box);
    const second = bounds.layers[1]!;
    for (let j = 0; j < second.lower.length; j++) {
      const tolerance = 2 * padding(net, bounds, 1, j) + 1e-6;
      expect(second.upper[j]! - exact.max[j]!).toBeGreaterThanOrEqual(0);
      expect(second.upper[j]! - exact.max[j]!).toBeLessThanOrEqual(tolerance);
      expect(exact.min[j]! - second.lower[j]!).toBeGreaterThanOrEqual(0);
      expect(exact.min[j]! - second.lower[j]!).toBeLessThanOrEqual(tolerance);
    }
  });

  it('finds exactly the stable units of a network built to have them, some only by the MILP, and they hold on every grid point', async () => {
    // Layer 0 on [0, 1]²: u0 = x0 + x1 − 10 (≤ −8: inactive), u1 = x0 + 10 (≥ 10: active),
    // u2 = x1 − 0.5 and u3 = 0.5 − x1 (so h2 + h3 = |x1 − 0.5| ≤ 0.5), u4 = x0 − x1.
    // Layer 1: v0 = h2 + h3 − 0.6 (max −0.1; intervals say up to 0.4), v1 = 0.6 − h2 − h3 (min 0.1; intervals −0.4),
    // v2 = h4 − 0.5 (in [−0.5, 0.5]: unstable), v3 = h0 + h1 − 5 (in [5, 6]: active, intervals know it).
    const net: ReluNetwork = {
      inputSize: 2,
      hidden: [
        layer(
          [
            [1, 1, 0, 0, 1],
            [1, 0, 1, -1, -1],
          ],
          [-10, 10, -0.5, 0.5, 0],
        ),
        layer(
          [
            [0, 0, 0, 1],
            [0, 0, 0, 1],
            [1, -1, 0, 0],
            [1, -1, 0, 0],
            [0, 0, 1, 0],
          ],
          [-0.6, 0.6, -0.5, -5],
        ),
      ],
      output: layer([[1], [1], [1], [1]], [0]),
    };
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    expect(stableUnits(bounds)).toEqual([
      { inactive: [0], active: [1] },
      { inactive: [0], active: [1, 3] },
    ]);
    const intervalOnly: PreActivationBounds = {
      ...bounds,
      layers: bounds.layers.map((b) => ({ ...b, lower: b.intervalLower, upper: b.intervalUpper })),
    };
    expect(stableUnits(intervalOnly)).toEqual([
      { inactive: [0], active: [1] },
      { inactive: [], active: [3] },
    ]);
    // The tightened bounds of v0, v1 are their true extremes (−0.1, 0.1), up to padding and gap.
    expect(bounds.layers[1]!.upper[0]!).toBeCloseTo(-0.1, 5);
    expect(bounds.layers[1]!.lower[1]!).toBeCloseTo(0.1, 5);

    const observed = observedRanges(net, grid2d(box, GRID));
    stableUnits(bounds).forEach(({ inactive, active }, l) => {
      for (const j of inactive) expect(observed[l]!.max[j]!).toBeLessThanOrEqual(0);
      for (const j of active) expect(observed[l]!.min[j]!).toBeGreaterThanOrEqual(0);
    });

    // skipStable reaches the same stability with fewer solves (v3 is stable by intervals; v0's min is not needed).
    const skipped = await tightenBounds(net, box, { timeLimitSeconds: 30, skipStable: true });
    expect(stableUnits(skipped)).toEqual(stableUnits(bounds));
    expect(skipped.skippedSolves).toBe(3);
    expect(skipped.solves).toBe(bounds.solves - 3);
  });
});

describe('MILP bounds whose solves hit their time limit', () => {
  it('stay sound on 20,000 random points of a 10-D box, using dual bounds where HiGHS has one', async () => {
    const net = randomNetwork(7, [10, 30, 30, 30, 2]);
    const box = unitBox(10);
    const timeLimitSeconds = 0.05;
    const bounds = await tightenBounds(net, box, { timeLimitSeconds });
    // These solves take seconds each when run to optimality.
    expect(bounds.timeLimitHits).toBeGreaterThan(0);
    // Some time-limited solves still contributed their dual bound (not only the interval fallback).
    expect(bounds.timeLimitHits).toBeGreaterThan(bounds.fallbacks);
    // HiGHS honours the limit: a solve overruns it by at most a fraction of a second.
    expect(bounds.seconds).toBeLessThan(bounds.solves * (timeLimitSeconds + 0.25));

    const rng = new Rng(11);
    const points = Array.from({ length: 20_000 }, () => Float64Array.from({ length: 10 }, () => rng.next()));
    const observed = observedRanges(net, points);
    let violations = 0;
    let tighter = 0;
    bounds.layers.forEach((b, l) => {
      for (let j = 0; j < b.lower.length; j++) {
        if (observed[l]!.min[j]! < b.lower[j]! - 1e-9 || observed[l]!.max[j]! > b.upper[j]! + 1e-9) violations++;
        if (b.lower[j]! < b.intervalLower[j]! || b.upper[j]! > b.intervalUpper[j]!) violations++;
        if (b.upper[j]! < b.intervalUpper[j]! - 1e-6) tighter++;
      }
    });
    expect(violations).toBe(0);
    expect(tighter).toBeGreaterThan(0);
  });
});
