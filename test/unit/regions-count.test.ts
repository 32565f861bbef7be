/**
 * Linear-region counting by MILP pattern enumeration against brute force on
 * 2-D inputs: the activation patterns seen on a 201×201 grid of the box must
 * all be found (the grid can miss thin regions, the MILP must not miss a
 * region the grid sees), and an arrangement of k lines in general position
 * with every intersection inside the box has exactly 1 + k + C(k, 2) regions.
 * Plus the budgets (region count, time) and the documented margin δ.
 */
import { describe, expect, it } from 'vitest';
import { stableUnits, tightenBounds } from '../../src/experiments/regions/milp-bounds';
import { countLinearRegions } from '../../src/experiments/regions/region-count';
import { evaluateNetwork, unitBox, type DenseLayerWeights, type InputBox, type ReluNetwork } from '../../src/experiments/regions/relu-network';
import { Rng } from '../../src/experiments/rng';
import { randomLayer, randomNetwork } from '../support/relu-networks';

/** One hidden layer whose units are the lines a·x0 + b·x1 + c = 0 (weights [a, b], bias c). */
function linesNetwork(lines: readonly (readonly [number, number, number])[]): ReluNetwork {
  const units = lines.length;
  const weights = new Float64Array(2 * units);
  lines.forEach(([a, b], j) => {
    weights[j] = a;
    weights[units + j] = b;
  });
  const hidden = [{ inputs: 2, units, weights, bias: Float64Array.from(lines, ([, , c]) => c) }];
  return { inputSize: 2, hidden, output: { inputs: units, units: 1, weights: new Float64Array(units).fill(1), bias: new Float64Array(1) } };
}

/**
 * k lines in general position through the middle of [0, 1]²: directions
 * spread over the half-turn, small offsets from the centre, random scale and
 * orientation (which side is active). Returns the lines and their pairwise
 * intersections.
 */
function arrangement(seed: number, k: number): { lines: [number, number, number][]; crossings: [number, number][] } {
  const rng = new Rng(seed);
  const lines: [number, number, number][] = [];
  for (let i = 0; i < k; i++) {
    const theta = (Math.PI * (i + 0.5 * rng.next())) / k;
    const offset = 0.05 * (2 * rng.next() - 1);
    const scale = (0.5 + 1.5 * rng.next()) * (rng.next() < 0.5 ? -1 : 1);
    const [a, b] = [Math.cos(theta), Math.sin(theta)];
    // a·(x0 − ½) + b·(x1 − ½) = offset.
    lines.push([scale * a, scale * b, scale * (-0.5 * a - 0.5 * b - offset)]);
  }
  const crossings: [number, number][] = [];
  for (let p = 0; p < k; p++) {
    for (let q = p + 1; q < k; q++) {
      const [a1, b1, c1] = lines[p]!;
      const [a2, b2, c2] = lines[q]!;
      const det = a1 * b2 - a2 * b1;
      crossings.push([(b1 * c2 - b2 * c1) / det, (c1 * a2 - c2 * a1) / det]);
    }
  }
  return { lines, crossings };
}

/** The activation patterns (as region-count.ts spells them) of every point of an n×n grid of a 2-D box. */
function gridPatterns(net: ReluNetwork, box: InputBox, n = 201): Set<string> {
  const patterns = new Set<string>();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const x0 = box.lower[0]! + ((box.upper[0]! - box.lower[0]!) * i) / (n - 1);
      const x1 = box.lower[1]! + ((box.upper[1]! - box.lower[1]!) * k) / (n - 1);
      const { preActivations } = evaluateNetwork(net, [x0, x1]);
      patterns.add(preActivations.map((z) => Array.from(z, (v) => (v > 0 ? '1' : '0')).join('')).join(''));
    }
  }
  return patterns;
}

const hiddenUnits = (net: ReluNetwork): number => net.hidden.reduce((sum, l) => sum + l.units, 0);

describe('linear regions of random networks on 2-D inputs against a grid', () => {
  it.each([
    { seed: 1, sizes: [2, 6, 5, 3] },
    { seed: 2, sizes: [2, 6, 5, 3] },
    { seed: 3, sizes: [2, 6, 5, 3] },
    { seed: 4, sizes: [2, 5, 4, 4, 2] },
  ])('seed $seed, $sizes: every grid pattern is found, and the enumeration completes', async ({ seed, sizes }) => {
    const net = randomNetwork(seed, sizes);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 10_000, collectPatterns: true });
    expect(result).toMatchObject({ exact: true, stoppedBy: 'done', unverified: 0 });
    // One solve per region, plus the one that proves there are no more.
    expect(result.solves).toBe(result.count + 1);

    const found = new Set(result.patterns);
    expect(found.size).toBe(result.count);
    for (const pattern of found) expect(pattern).toMatch(new RegExp(`^[01]{${hiddenUnits(net)}}$`));
    const seen = gridPatterns(net, box);
    expect([...seen].filter((pattern) => !found.has(pattern))).toEqual([]);
    expect(result.count).toBeGreaterThanOrEqual(seen.size);
  });
});

describe('seeding the enumeration with points of the box', () => {
  it('gives the same exact count and patterns, with one solve per region the points missed', async () => {
    const net = randomNetwork(1, [2, 6, 5, 3]);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const plain = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 10_000, collectPatterns: true });
    const rng = new Rng(9);
    const count = 400;
    const values = Float64Array.from({ length: 2 * count }, () => rng.next());
    const seeded = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 10_000, collectPatterns: true, seedPoints: { values, count } });
    expect(seeded).toMatchObject({ exact: true, stoppedBy: 'done', count: plain.count, unverified: 0 });
    expect(new Set(seeded.patterns)).toEqual(new Set(plain.patterns));
    // Each region a point visited costs no solve: solves = regions the points missed + the final proof.
    const visited = new Set(
      Array.from({ length: count }, (_, n) =>
        evaluateNetwork(net, values.subarray(2 * n, 2 * n + 2))
          .preActivations.map((z) => Array.from(z, (v) => (v > 0 ? '1' : '0')).join(''))
          .join(''),
      ),
    );
    expect(visited.size).toBeGreaterThan(plain.count / 2);
    expect(seeded.solves).toBe(plain.count - visited.size + 1);
  });
});

describe('an arrangement of k lines in general position, every crossing inside the box', () => {
  it.each([
    { seed: 1, k: 3 },
    { seed: 3, k: 5 },
    { seed: 3, k: 6 },
    { seed: 4, k: 8 },
    { seed: 8, k: 10 },
  ])('seed $seed, k = $k: exactly 1 + k + C(k, 2) regions', async ({ seed, k }) => {
    const { lines, crossings } = arrangement(seed, k);
    // The construction's preconditions: all crossings well inside the box, no three lines through one point.
    for (const [x0, x1] of crossings) {
      expect(Math.min(x0, x1)).toBeGreaterThan(0.02);
      expect(Math.max(x0, x1)).toBeLessThan(0.98);
      const onLines = lines.filter(([a, b, c]) => Math.abs(a * x0 + b * x1 + c) / Math.hypot(a, b) < 1e-3).length;
      expect(onLines).toBe(2);
    }
    const net = linesNetwork(lines);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    expect(stableUnits(bounds)).toEqual([{ inactive: [], active: [] }]);
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 10_000, collectPatterns: true });
    expect(result).toMatchObject({ count: 1 + k + (k * (k - 1)) / 2, exact: true, stoppedBy: 'done', unverified: 0 });
    const found = new Set(result.patterns);
    expect([...gridPatterns(net, box)].filter((pattern) => !found.has(pattern))).toEqual([]);
  });
});

describe('budgets and edge cases', () => {
  it('stops at maxRegions below the true count: count = maxRegions, not exact', async () => {
    const net = linesNetwork(arrangement(3, 6).lines); // 22 regions
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 5 });
    expect(result).toMatchObject({ count: 5, exact: false, stoppedBy: 'count', solves: 5 });
  });

  it('stops when the time budget is spent: fewer regions, not exact', async () => {
    const net = randomNetwork(3, [2, 6, 5, 3]);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const full = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 120, maxRegions: 10_000 });
    const started = performance.now();
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 0.02, maxRegions: 10_000 });
    expect(result).toMatchObject({ exact: false, stoppedBy: 'time' });
    expect(result.count).toBeLessThan(full.count);
    // The budget bounds the whole count, not each solve.
    expect((performance.now() - started) / 1000).toBeLessThan(0.02 + 0.5);
  });

  it('counts one region, without a solve, when every unit is stable', async () => {
    // On [0, 1]²: z0 = x0 + x1 + 1 > 0, z1 = −x0 − 1 < 0.
    const net = linesNetwork([
      [1, 1, 1],
      [-1, 0, -1],
    ]);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 10, maxRegions: 100, collectPatterns: true });
    expect(result).toMatchObject({ count: 1, exact: true, stoppedBy: 'done', solves: 0, patterns: ['10'] });
  });

  it.each([
    // Two parallel lines x0 = ½ and x0 = ½ + gap: three regions, the middle one a strip of width gap.
    { gap: 1e-3, count: 3 },
    // A strip far narrower than the margin δ = 1e-6 · ½: missed, and the count (a lower bound) is still called exact.
    { gap: 1e-9, count: 2 },
  ])('misses only regions thinner than the margin: strip of width $gap → $count regions', async ({ gap, count }) => {
    const net = linesNetwork([
      [1, 0, -0.5],
      [1, 0, -0.5 - gap],
    ]);
    const box = unitBox(2);
    const bounds = await tightenBounds(net, box, { timeLimitSeconds: 30 });
    const result = await countLinearRegions(net, box, bounds, { timeLimitSeconds: 60, maxRegions: 100, collectPatterns: true });
    expect(result).toMatchObject({ count, exact: true, stoppedBy: 'done' });
    expect(new Set(result.patterns)).toEqual(new Set(count === 3 ? ['00', '10', '11'] : ['00', '11']));
  });
});
