/**
 * Norms of a corruption that spans several parameter tensors: the vector is
 * the concatenation of every targeted tensor, so ‖a‖ is taken jointly.
 */
import * as tf from '@tensorflow/tfjs';

export type NormName = 'L2' | 'Linf';

/** The p-norms we need: the corruption's own (L2, L∞) and the dual of L∞ (L1). */
export type PNorm = 'L1' | 'L2' | 'Linf';

/** ‖parts‖_p of the concatenated tensors, read back and summed in float64. */
export function jointNorm(parts: readonly tf.Tensor[], p: PNorm): number {
  let acc = 0;
  for (const part of parts) {
    const values = part.dataSync();
    for (let i = 0; i < values.length; i++) {
      const v = Math.abs(values[i]!);
      if (p === 'L1') acc += v;
      else if (p === 'L2') acc += v * v;
      else if (v > acc) acc = v;
    }
  }
  return p === 'L2' ? Math.sqrt(acc) : acc;
}

/** The dual norm of the corruption's norm: the first-order loss increase is ε·‖g‖_dual. */
export function dualOf(norm: NormName): PNorm {
  return norm === 'L2' ? 'L2' : 'L1';
}

export function scaleAll(parts: readonly tf.Tensor[], factor: number): tf.Tensor[] {
  return parts.map((part) => tf.mul(part, factor));
}
