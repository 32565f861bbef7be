/**
 * MILP-tightened bounds on every hidden unit's pre-activation over an input
 * box, and the stable units they prove (Kumar, Serra, Ramalingam 2019: a unit
 * that never activates on the box is removed, one that is always active is
 * folded into the next layer).
 *
 * Interval bounds first (interval-bounds.ts). Layer 0's are exact over a box.
 * Then, layer by layer, each unit's max z and min z are solved over the
 * big-M MILP of the layers before it (relu-milp.ts), whose big-M constants
 * are the tightened bounds found so far; the layer is then appended to the
 * same model for the next layer's solves (the model grows, it is not
 * rebuilt). Each result is intersected with the interval bound propagated
 * from the previous layer's tightened bounds.
 *
 * Soundness (every point of the box within [lower, upper]):
 * - a max uses HiGHS's proven dual bound (the best upper bound), never the
 *   incumbent, both when the solve finished (the MIP gap may leave the
 *   incumbent below the optimum) and when it hit its time limit; when no dual
 *   bound is available the propagated interval bound is kept (`fallbacks`);
 *   a min likewise;
 * - HiGHS works to absolute tolerances of 1e-7 (LP feasibility) to 1e-6 (MIP
 *   feasibility), so its bound can be off by about that much times the size of
 *   the terms; every solved bound is moved outward by
 *   BOUND_PADDING · (1 + |b_j| + Σ_i |w_ij|·max|h_i|), the largest magnitude
 *   the terms of z_j can reach, rather than trusting the last digits.
 */
import { MilpModel } from './highs';
import { intervalBounds, propagateInterval, reluOfBounds, type LayerBounds } from './interval-bounds';
import { addInputColumns, addReluLayer, preActivationExpression, unitStability } from './relu-milp';
import type { InputBox, ReluNetwork } from './relu-network';

/** Relative outward padding of every MILP bound (see the module comment). */
export const BOUND_PADDING = 1e-6;

export interface LayerPreActivationBounds {
  /** Tightened bounds: sound, and the ones to use. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Plain interval-arithmetic bounds, for comparison. */
  readonly intervalLower: Float64Array;
  readonly intervalUpper: Float64Array;
}

export interface PreActivationBounds {
  /** Per hidden layer, input side first. */
  readonly layers: LayerPreActivationBounds[];
  /** MILP (or LP) solves run. */
  readonly solves: number;
  /** Solves stopped by their time limit (their bound is HiGHS's dual bound, or the fallback). */
  readonly timeLimitHits: number;
  /** Solves that gave no usable dual bound, so the propagated interval bound was kept. */
  readonly fallbacks: number;
  /** Solves not run because `skipStable` knew they could not change any unit's stability. */
  readonly skippedSolves: number;
  readonly seconds: number;
}

export interface TightenOptions {
  /** Wall-clock limit of each solve, in seconds. */
  readonly timeLimitSeconds: number;
  /**
   * Skip solves that cannot change stability: both solves of a unit already
   * stable by its propagated interval bound, and the min solve of a unit whose
   * max proved it inactive. Stability is then the same, but the skipped
   * bounds stay at their (sound, looser) interval values. Default false.
   */
  readonly skipStable?: boolean;
  /** HiGHS mip_rel_gap (default HiGHS's 1e-4); 0 proves each optimum to mip_abs_gap (1e-6). */
  readonly relativeGap?: number;
}

export async function tightenBounds(net: ReluNetwork, box: InputBox, options: TightenOptions): Promise<PreActivationBounds> {
  const started = performance.now();
  const interval = intervalBounds(net, box);
  const layers: LayerPreActivationBounds[] = [];
  let solves = 0;
  let timeLimitHits = 0;
  let fallbacks = 0;
  let skippedSolves = 0;
  if (net.hidden.length === 0) return { layers, solves, timeLimitHits, fallbacks, skippedSolves, seconds: 0 };

  const first = interval[0]!;
  layers.push({
    lower: Float64Array.from(first.lower),
    upper: Float64Array.from(first.upper),
    intervalLower: first.lower,
    intervalUpper: first.upper,
  });

  const model = await MilpModel.create(options.relativeGap === undefined ? {} : { mip_rel_gap: options.relativeGap });
  try {
    let previousColumns = addInputColumns(model, box);
    for (let l = 1; l < net.hidden.length; l++) {
      const previous = layers[l - 1]!;
      previousColumns = addReluLayer(model, net.hidden[l - 1]!, previousColumns, previous).h;

      const layer = net.hidden[l]!;
      const inputs = reluOfBounds(previous);
      const propagated = propagateInterval(layer, inputs.lower, inputs.upper);
      const plain = interval[l]!;
      const lower = propagated.lower.map((v, j) => Math.max(v, plain.lower[j]!));
      const upper = propagated.upper.map((v, j) => Math.min(v, plain.upper[j]!));

      for (let j = 0; j < layer.units; j++) {
        if (options.skipStable && unitStability(lower[j]!, upper[j]!) !== 'unstable') {
          skippedSolves += 2;
          continue;
        }
        const z = preActivationExpression(layer, previousColumns, j);
        if (z.indices.length === 0) {
          // Every input is identically zero: z is the constant bias.
          lower[j] = upper[j] = z.constant;
          continue;
        }
        const pad = BOUND_PADDING * (1 + termScale(layer.weights, layer.units, j, z.constant, inputs));

        for (const direction of ['max', 'min'] as const) {
          if (direction === 'min' && options.skipStable && upper[j]! <= 0) {
            skippedSolves++;
            continue;
          }
          model.setObjective(direction, z.indices, z.values);
          const result = model.solve(options.timeLimitSeconds);
          solves++;
          if (result.status === 'time-limit') timeLimitHits++;
          if (result.status === 'infeasible') {
            // The box is non-empty and the bounds are sound, so this is a numerical failure, not a fact.
            throw new Error(`bound MILP of layer ${l} unit ${j} (${direction}) reported infeasible`);
          }
          if (result.dualBound === undefined || !Number.isFinite(result.dualBound)) {
            fallbacks++;
            continue;
          }
          if (direction === 'max') upper[j] = Math.min(upper[j]!, result.dualBound + z.constant + pad);
          else lower[j] = Math.max(lower[j]!, result.dualBound + z.constant - pad);
        }
      }
      layers.push({ lower, upper, intervalLower: plain.lower, intervalUpper: plain.upper });
    }
  } finally {
    model.dispose();
  }
  return { layers, solves, timeLimitHits, fallbacks, skippedSolves, seconds: (performance.now() - started) / 1000 };
}

/** |b_j| + Σ_i |w_ij|·max(|lo_i|, |hi_i|): the largest magnitude the terms of z_j reach on the input bounds. */
function termScale(weights: Float64Array, units: number, j: number, bias: number, inputs: LayerBounds): number {
  let scale = Math.abs(bias);
  for (let i = 0; i < inputs.lower.length; i++) {
    const magnitude = Math.max(Math.abs(inputs.lower[i]!), Math.abs(inputs.upper[i]!));
    scale += Math.abs(weights[i * units + j]!) * magnitude;
  }
  return scale;
}

/**
 * Per hidden layer, the units proved stable over the box: inactive iff
 * upper ≤ 0 (outputs 0 on the whole box: removable), active iff lower ≥ 0 and
 * not inactive (the identity on the whole box: foldable into the next layer).
 * Both are exact, not approximate, on the closed box; see unitStability.
 */
export function stableUnits(bounds: PreActivationBounds): { inactive: number[]; active: number[] }[] {
  return bounds.layers.map(({ lower, upper }) => {
    const inactive: number[] = [];
    const active: number[] = [];
    for (let j = 0; j < lower.length; j++) {
      const state = unitStability(lower[j]!, upper[j]!);
      if (state === 'inactive') inactive.push(j);
      else if (state === 'active') active.push(j);
    }
    return { inactive, active };
  });
}
