/**
 * Interval-arithmetic bounds on every hidden unit's pre-activation over an
 * input box: the cheap, always-sound starting point that the MILP tightening
 * (milp-bounds.ts) improves on and falls back to.
 *
 * Layer by layer: z_j ranges over [Σ_i min(w_ij·l_i, w_ij·u_i) + b_j,
 * Σ_i max(w_ij·l_i, w_ij·u_i) + b_j] when h_i ∈ [l_i, u_i], and the next
 * layer's inputs are ReLU of those bounds, [max(L, 0), max(U, 0)]. For the
 * first layer over a box this is exact (each coordinate can be chosen
 * independently); deeper layers lose the correlations between units, which is
 * what the MILP recovers.
 *
 * Float64 rounding makes these bounds off by at most ~n·2⁻⁵² of the summed
 * magnitudes (1e-15 relative), far below every tolerance used downstream, so
 * they are not padded.
 */
import type { DenseLayerWeights, InputBox, ReluNetwork } from './relu-network';

/** Lower and upper bounds of one layer's pre-activations, one entry per unit. */
export interface LayerBounds {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** Throws unless the box has the network's input size, finite ends and lower ≤ upper. */
export function checkBox(box: InputBox, size: number): void {
  if (box.lower.length !== size || box.upper.length !== size) {
    throw new RangeError(`input box has ${box.lower.length}/${box.upper.length} coordinates, the network takes ${size}`);
  }
  for (let i = 0; i < size; i++) {
    const lo = box.lower[i]!;
    const hi = box.upper[i]!;
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
      throw new RangeError(`input box coordinate ${i} is [${lo}, ${hi}]`);
    }
  }
}

/** Bounds of z = W·h + b for h in the box [inLower, inUpper]. */
export function propagateInterval(layer: DenseLayerWeights, inLower: ArrayLike<number>, inUpper: ArrayLike<number>): LayerBounds {
  const lower = Float64Array.from(layer.bias);
  const upper = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const lo = inLower[i]!;
    const hi = inUpper[i]!;
    const row = i * layer.units;
    for (let j = 0; j < layer.units; j++) {
      const w = layer.weights[row + j]!;
      if (w >= 0) {
        lower[j]! += w * lo;
        upper[j]! += w * hi;
      } else {
        lower[j]! += w * hi;
        upper[j]! += w * lo;
      }
    }
  }
  return { lower, upper };
}

/** Bounds of ReLU(z) given bounds of z (what the next layer sees). */
export function reluOfBounds(bounds: LayerBounds): LayerBounds {
  return {
    lower: bounds.lower.map((v) => (v > 0 ? v : 0)),
    upper: bounds.upper.map((v) => (v > 0 ? v : 0)),
  };
}

/** Interval bounds of every hidden layer's pre-activations over the box, input side first. */
export function intervalBounds(net: ReluNetwork, box: InputBox): LayerBounds[] {
  checkBox(box, net.inputSize);
  const result: LayerBounds[] = [];
  let inLower: ArrayLike<number> = box.lower;
  let inUpper: ArrayLike<number> = box.upper;
  for (const layer of net.hidden) {
    const bounds = propagateInterval(layer, inLower, inUpper);
    result.push(bounds);
    const h = reluOfBounds(bounds);
    inLower = h.lower;
    inUpper = h.upper;
  }
  return result;
}
