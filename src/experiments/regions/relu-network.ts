/**
 * A trained ReLU MLP as plain float64 arrays: what the bound, stability,
 * compression and region-counting code reads (no tfjs, so it runs anywhere
 * and its tests are pure). Hidden layers apply ReLU; the output layer is linear.
 *
 * Weights are stored as tfjs dense kernels are: [inputs, units], row-major,
 * so unit j of a layer computes z_j = Σ_i h_i · weights[i·units + j] + bias[j].
 */
export interface DenseLayerWeights {
  readonly inputs: number;
  readonly units: number;
  /** inputs × units, row-major (input i, unit j at i·units + j). */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

export interface ReluNetwork {
  readonly inputSize: number;
  /** ReLU layers, input side first. */
  readonly hidden: readonly DenseLayerWeights[];
  /** The linear output layer (logits). */
  readonly output: DenseLayerWeights;
}

/** The input domain: a box lower ≤ x ≤ upper (for images, [0, 1]ⁿ). */
export interface InputBox {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

export function unitBox(size: number): InputBox {
  return { lower: new Float64Array(size), upper: new Float64Array(size).fill(1) };
}

/** z = W·h + b of one layer, for one input. */
export function preActivation(layer: DenseLayerWeights, h: ArrayLike<number>): Float64Array {
  const z = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const hi = h[i]!;
    if (hi === 0) continue;
    const row = i * layer.units;
    for (let j = 0; j < layer.units; j++) z[j]! += hi * layer.weights[row + j]!;
  }
  return z;
}

/** The network's pre-activations of every hidden layer and its logits, for one input (float64). */
export function evaluateNetwork(net: ReluNetwork, x: ArrayLike<number>): { preActivations: Float64Array[]; logits: Float64Array } {
  const preActivations: Float64Array[] = [];
  let h: ArrayLike<number> = x;
  for (const layer of net.hidden) {
    const z = preActivation(layer, h);
    preActivations.push(z);
    h = z.map((v) => (v > 0 ? v : 0));
  }
  return { preActivations, logits: preActivation(net.output, h) };
}
