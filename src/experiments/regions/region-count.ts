/**
 * Counting the linear regions of a ReLU network over an input box by
 * enumerating activation patterns with a MILP (Serra, Tjandraatmadja,
 * Ramalingam 2018): the big-M encoding of all hidden layers (relu-milp.ts),
 * one binary per unstable unit, solved for any feasible point; each pattern
 * found is excluded by a no-good cut
 *   Σ_{i: a*_i = 1} (1 − a_i) + Σ_{i: a*_i = 0} a_i ≥ 1
 * and the model is re-solved, until it is infeasible (every pattern found),
 * the time runs out or enough regions are found. Stable units (from the
 * bounds) are fixed and get no binary.
 *
 * Only full-dimensional regions are counted. A pattern realisable only on a
 * lower-dimensional set (a shared facet, a vertex) must not count, so every
 * unstable unit must hold its pattern with a margin: z ≥ δ_j when active and
 * z ≤ −δ_j when inactive, with δ_j = relativeMargin · max(|L_j|, |U_j|) (the
 * unit's own scale). A point with every unstable unit strictly away from 0
 * keeps its pattern on a neighbourhood, so the region is full-dimensional
 * (relative to the box). Each solver point is checked that way in float64
 * (clamped into the box, network evaluated, every unstable unit at least δ_j/2
 * on its side) before its pattern counts; a point that fails is cut off but
 * not counted (`unverified`).
 * Consequence: a region in which no point keeps all unstable units δ away
 * from zero (a region thinner than about δ) is missed, so `count` is a lower
 * bound on the number of full-dimensional regions, and `exact` means that no
 * further δ-realisable pattern exists (a thinner region may still exist).
 * A fixed δ keeps each solve a pure feasibility MILP; maximising a margin
 * variable instead would make each one an optimisation.
 *
 * The bounds must be sound (milp-bounds.ts): they are the big-M constants and
 * decide which units are fixed.
 */
import type { PreActivationBounds } from './milp-bounds';
import { buildReluMilp } from './relu-milp';
import { evaluateNetwork, type InputBox, type ReluNetwork } from './relu-network';

export interface RegionCountOptions {
  /** Wall-clock limit of the whole count, in seconds. */
  readonly timeLimitSeconds: number;
  /** Stop once this many regions are found. */
  readonly maxRegions: number;
  /** δ_j / max(|L_j|, |U_j|); default 1e-6. */
  readonly relativeMargin?: number;
  /** Also return the patterns found (see RegionCount.patterns). */
  readonly collectPatterns?: boolean;
  /**
   * Points of the box (`count` × inputSize values, example-major) whose
   * regions are counted and cut off before the first solve: the data and
   * random inputs already visit most regions, each found by one evaluation
   * instead of one MILP solve. A point counts only if it holds every unstable
   * unit δ from zero (the same check as a solver point), so the count stays
   * one of full-dimensional regions, and `exact` still needs the final
   * infeasible solve.
   */
  readonly seedPoints?: { readonly values: ArrayLike<number>; readonly count: number };
}

export interface RegionCount {
  /** Verified full-dimensional regions found (a lower bound unless `exact`). */
  readonly count: number;
  /** True iff the enumeration proved that no further δ-realisable pattern exists. */
  readonly exact: boolean;
  readonly seconds: number;
  readonly stoppedBy: 'done' | 'time' | 'count';
  /** MILP solves run. */
  readonly solves: number;
  /** Patterns the solver returned whose point failed the float64 check (cut off, not counted; 0 in every test so far). */
  readonly unverified: number;
  /**
   * With `collectPatterns`: one string per region, one '0'/'1' per hidden unit
   * (layers concatenated, input side first), stable units at their fixed value.
   */
  readonly patterns?: string[];
}

/** HiGHS tolerances far below the margins, so that a feasible point really holds its pattern by about δ. */
const COUNT_TOLERANCES = {
  mip_feasibility_tolerance: 1e-9,
  primal_feasibility_tolerance: 1e-9,
} as const;

export async function countLinearRegions(
  net: ReluNetwork,
  box: InputBox,
  bounds: PreActivationBounds,
  options: RegionCountOptions,
): Promise<RegionCount> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const relativeMargin = options.relativeMargin ?? 1e-6;
  if (!(options.timeLimitSeconds > 0)) throw new RangeError(`timeLimitSeconds must be positive, got ${options.timeLimitSeconds}`);
  if (!Number.isInteger(options.maxRegions) || options.maxRegions < 1) throw new RangeError(`maxRegions must be a positive integer, got ${options.maxRegions}`);
  if (!(relativeMargin > 0)) throw new RangeError(`relativeMargin must be positive, got ${relativeMargin}`);
  if (bounds.layers.length !== net.hidden.length) {
    throw new RangeError(`bounds have ${bounds.layers.length} layers, the network ${net.hidden.length} hidden layers`);
  }

  const margins = bounds.layers.map(({ lower, upper }) => lower.map((L, j) => relativeMargin * Math.max(Math.abs(L), Math.abs(upper[j]!))));
  const milp = await buildReluMilp(net, box, bounds.layers, net.hidden.length, { margins, highsOptions: COUNT_TOLERANCES });
  const patterns: string[] = [];
  /** Verified patterns (the count), and every pattern cut off so far. */
  const counted = new Set<string>();
  const cut = new Set<string>();
  let solves = 0;
  let unverified = 0;
  const finish = (stoppedBy: RegionCount['stoppedBy']): RegionCount => ({
    count: counted.size,
    exact: stoppedBy === 'done' && unverified === 0,
    seconds: elapsed(),
    stoppedBy,
    solves,
    unverified,
    ...(options.collectPatterns ? { patterns } : {}),
  });

  try {
    // The binaries of the unstable units, in pattern order.
    const binaries: { layer: number; unit: number; column: number }[] = [];
    milp.layers.forEach((encoded, layer) => encoded.a.forEach((column, unit) => column >= 0 && binaries.push({ layer, unit, column })));
    // The fixed part of every pattern: stable units at their value, unstable ones overwritten per pattern.
    const fixedPattern = milp.layers.map((encoded) => encoded.stability.map((state) => (state === 'active' ? '1' : '0')));

    if (binaries.length === 0) {
      // Every unit is stable: the network is one affine map on the whole box.
      const key = fixedPattern.map((layer) => layer.join('')).join('');
      counted.add(key);
      patterns.push(key);
      return finish('done');
    }

    const patternOf = (preActivations: Float64Array[]): { key: string; ones: number; verified: boolean; active: boolean[] } => {
      const active = binaries.map(({ layer, unit }) => preActivations[layer]![unit]! > 0);
      const verified = binaries.every(({ layer, unit }, k) => {
        const z = preActivations[layer]![unit]!;
        return (active[k] ? z : -z) >= margins[layer]![unit]! / 2;
      });
      const pattern = fixedPattern.map((layer) => [...layer]);
      binaries.forEach(({ layer, unit }, k) => (pattern[layer]![unit] = active[k] ? '1' : '0'));
      return { key: pattern.map((layer) => layer.join('')).join(''), ones: active.filter(Boolean).length, verified, active };
    };
    // No-good cut: Σ_{a*=0} a − Σ_{a*=1} a ≥ 1 − #{a* = 1}.
    const cutOff = (active: boolean[], ones: number): void => {
      milp.model.addRow(
        1 - ones,
        Infinity,
        binaries.map(({ column }) => column),
        active.map((on) => (on ? -1 : 1)),
      );
    };

    const x = new Float64Array(net.inputSize);
    const seeds = options.seedPoints;
    for (let n = 0; seeds && n < seeds.count && counted.size < options.maxRegions; n++) {
      for (let i = 0; i < x.length; i++) x[i] = Math.min(box.upper[i]!, Math.max(box.lower[i]!, seeds.values[n * net.inputSize + i]!));
      const { preActivations } = evaluateNetwork(net, x);
      checkStableUnits(preActivations, bounds);
      const { key, ones, verified, active } = patternOf(preActivations);
      if (!verified || cut.has(key)) continue;
      cut.add(key);
      counted.add(key);
      if (options.collectPatterns) patterns.push(key);
      cutOff(active, ones);
    }
    for (;;) {
      if (counted.size >= options.maxRegions) return finish('count');
      const remaining = options.timeLimitSeconds - elapsed();
      if (remaining <= 0) return finish('time');
      const result = milp.model.solve(remaining);
      solves++;
      if (result.status === 'infeasible') return finish('done');
      if (result.status === 'time-limit') return finish('time');
      if (result.status !== 'optimal' || result.columns === undefined) {
        throw new Error(`region MILP ended with HiGHS model status ${result.modelStatus} after ${counted.size} regions`);
      }

      const values = result.columns;
      const solverActive = binaries.map(({ column }) => values[column]! > 0.5);
      for (let i = 0; i < x.length; i++) {
        x[i] = Math.min(box.upper[i]!, Math.max(box.lower[i]!, values[milp.inputs[i]!]!));
      }
      const { preActivations } = evaluateNetwork(net, x);
      checkStableUnits(preActivations, bounds);
      // The solver's binaries name the pattern; the float64 point must realise it with margin.
      const evaluated = patternOf(preActivations);
      const verified = evaluated.verified && evaluated.active.every((on, k) => on === solverActive[k]);
      const pattern = fixedPattern.map((layer) => [...layer]);
      binaries.forEach(({ layer, unit }, k) => (pattern[layer]![unit] = solverActive[k] ? '1' : '0'));
      const key = pattern.map((layer) => layer.join('')).join('');
      if (cut.has(key)) {
        // The no-good cut excludes it: a repeat means the solver violated a cut, and the loop would not end.
        throw new Error(`region MILP returned the pattern ${key} twice (numerical failure)`);
      }
      cut.add(key);
      if (verified) {
        counted.add(key);
        if (options.collectPatterns) patterns.push(key);
      } else {
        unverified++;
      }
      cutOff(solverActive, solverActive.filter(Boolean).length);
    }
  } finally {
    milp.model.dispose();
  }
}

/** A stable unit off its side on a box point means the bounds were not sound, and every pattern would be suspect. */
function checkStableUnits(preActivations: Float64Array[], bounds: PreActivationBounds): void {
  preActivations.forEach((z, l) => {
    const { lower, upper } = bounds.layers[l]!;
    for (let j = 0; j < z.length; j++) {
      const slack = 1e-6 * (1 + Math.max(Math.abs(lower[j]!), Math.abs(upper[j]!)));
      if (upper[j]! <= 0 ? z[j]! > slack : lower[j]! >= 0 && z[j]! < -slack) {
        throw new Error(`layer ${l} unit ${j} is called stable by the bounds [${lower[j]}, ${upper[j]}] but has z = ${z[j]} in the box`);
      }
    }
  });
}
