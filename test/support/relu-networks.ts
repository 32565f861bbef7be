/** Seeded random ReLU networks for the regions tests (float64, as regions/relu-network.ts stores them). */
import type { DenseLayerWeights, ReluNetwork } from '../../src/experiments/regions/relu-network';
import { Rng } from '../../src/experiments/rng';

/** A dense layer from nested arrays: weights[i][j] is input i → unit j. */
export function layer(weights: number[][], bias: number[]): DenseLayerWeights {
  const inputs = weights.length;
  const units = bias.length;
  return { inputs, units, weights: Float64Array.from(weights.flat()), bias: Float64Array.from(bias) };
}

/** Weights N(0, (1.5/√inputs)²), biases N(0, 0.3²) (+ biasShift): most units unstable on the unit box. */
export function randomLayer(rng: Rng, inputs: number, units: number, biasShift = 0): DenseLayerWeights {
  const weights = new Float64Array(inputs * units);
  for (let k = 0; k < weights.length; k++) weights[k] = (rng.normal() * 1.5) / Math.sqrt(inputs);
  const bias = new Float64Array(units);
  for (let j = 0; j < units; j++) bias[j] = rng.normal() * 0.3 + biasShift;
  return { inputs, units, weights, bias };
}

/** sizes = [input, ...hidden, output]. */
export function randomNetwork(seed: number, sizes: readonly number[]): ReluNetwork {
  const rng = new Rng(seed);
  const hidden: DenseLayerWeights[] = [];
  for (let l = 1; l < sizes.length - 1; l++) hidden.push(randomLayer(rng, sizes[l - 1]!, sizes[l]!));
  return { inputSize: sizes[0]!, hidden, output: randomLayer(rng, sizes.at(-2)!, sizes.at(-1)!) };
}
