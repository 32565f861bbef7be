/** How far two networks' logits are apart over a set of inputs: the check that a compression changed nothing. */
import { evaluateNetwork, type ReluNetwork } from './relu-network';

/** Largest |logit_a − logit_b| over `count` examples of `features` values each (example-major), in float64. */
export function maxLogitDifference(a: ReluNetwork, b: ReluNetwork, inputs: ArrayLike<number> & { subarray(from: number, to: number): ArrayLike<number> }, count: number): number {
  if (a.inputSize !== b.inputSize) throw new RangeError(`networks of ${a.inputSize} and ${b.inputSize} inputs`);
  const features = a.inputSize;
  let worst = 0;
  for (let n = 0; n < count; n++) {
    const x = inputs.subarray(n * features, (n + 1) * features);
    const la = evaluateNetwork(a, x).logits;
    const lb = evaluateNetwork(b, x).logits;
    for (let k = 0; k < la.length; k++) worst = Math.max(worst, Math.abs(la[k]! - lb[k]!));
  }
  return worst;
}
