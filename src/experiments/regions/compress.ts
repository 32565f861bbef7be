/**
 * Lossless compression of a ReLU MLP by its stable units (Kumar, Serra,
 * Ramalingam 2019; Serra, Kumar, Ramalingam, "Lossless Compression of Deep
 * Neural Networks", CPAIOR 2020):
 *
 * - a stably inactive unit (z ≤ 0 on the whole input box) always outputs 0:
 *   it is removed, with its row of the next layer's weights;
 * - a stably active unit (z ≥ 0 on the box) is linear there, relu(z) = z. If
 *   its weights are a linear combination of other stably active units' of the
 *   same layer, w_k = Σ_b c_b·w_b, then z_k = Σ_b c_b·(z_b − b_b) + b_k, and its
 *   contribution to the next layer is folded onto theirs (weights) and into
 *   the next layer's bias (the constant): it is removed too. The independent
 *   ones stay (a basis found greedily, in unit order); one with weights ≈ 0
 *   (a constant unit) folds entirely into the next bias.
 *
 * The result is a smaller MLP of the same function on the box; run.ts checks it.
 */
import type { DenseLayerWeights, ReluNetwork } from './relu-network';

export interface StableUnits {
  readonly inactive: readonly number[];
  readonly active: readonly number[];
}

export interface Compression {
  readonly network: ReluNetwork;
  /** Per hidden layer: units removed as stably inactive. */
  readonly removedInactive: number[];
  /** Per hidden layer: stably active units folded into the next layer. */
  readonly foldedActive: number[];
  /** Per hidden layer: units left. */
  readonly kept: number[];
}

/** Mutable dense layer: w[i][j] from input i to unit j. */
interface Editable {
  w: number[][];
  b: number[];
}

function editable(layer: DenseLayerWeights): Editable {
  const w = Array.from({ length: layer.inputs }, (_, i) => Array.from(layer.weights.subarray(i * layer.units, (i + 1) * layer.units)));
  return { w, b: Array.from(layer.bias) };
}

function frozen(layer: Editable, inputs: number): DenseLayerWeights {
  const units = layer.b.length;
  const weights = new Float64Array(inputs * units);
  layer.w.forEach((row, i) => weights.set(row, i * units));
  return { inputs, units, weights, bias: Float64Array.from(layer.b) };
}

/** Keeps only the units (columns) of `layer` at `keep`, and the matching inputs (rows) of `next`. */
function keepUnits(layer: Editable, next: Editable, keep: readonly number[]): void {
  layer.w = layer.w.map((row) => keep.map((j) => row[j]!));
  layer.b = keep.map((j) => layer.b[j]!);
  next.w = keep.map((j) => next.w[j]!);
}

function column(layer: Editable, j: number): number[] {
  return layer.w.map((row) => row[j]!);
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** Least-squares coefficients c with Σ c_b·basis[b] ≈ v (normal equations, Gaussian elimination with pivoting), or null if singular. */
function coefficients(basis: readonly number[][], v: readonly number[]): number[] | null {
  const m = basis.length;
  const a = basis.map((bi) => [...basis.map((bj) => dot(bi, bj)), dot(bi, v)]);
  for (let col = 0; col < m; col++) {
    let pivot = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-300) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= m; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return a.map((row, i) => row[m]! / row[i]!);
}

/**
 * `stable[l]` lists layer l's stable units by their index in `net`.
 * `tolerance`: a stably active unit folds when ‖w_k − Σ c_b·w_b‖ ≤ tolerance·max(1, ‖w_k‖).
 */
export function compressNetwork(net: ReluNetwork, stable: readonly StableUnits[], tolerance = 1e-10): Compression {
  if (stable.length !== net.hidden.length) throw new RangeError(`stable units for ${stable.length} layers, the network has ${net.hidden.length}`);
  const layers = [...net.hidden, net.output].map(editable);
  const removedInactive: number[] = [];
  const foldedActive: number[] = [];
  for (let l = 0; l < net.hidden.length; l++) {
    const layer = layers[l]!;
    const next = layers[l + 1]!;
    const inactive = new Set(stable[l]!.inactive);
    const active = new Set(stable[l]!.active);
    // Units are indexed as in `net` until the end of this layer's pass: collect, then keep.
    const basis: { unit: number; w: number[] }[] = [];
    const folded = new Set<number>();
    for (let j = 0; j < net.hidden[l]!.units; j++) {
      if (inactive.has(j) || !active.has(j)) continue;
      const w = column(layer, j);
      const scale = Math.max(1, Math.sqrt(dot(w, w)));
      const c = basis.length === 0 ? [] : coefficients(basis.map((b) => b.w), w);
      const residual = c ? w.map((v, i) => v - basis.reduce((s, b, k) => s + c[k]! * b.w[i]!, 0)) : w;
      if (!c || Math.sqrt(dot(residual, residual)) > tolerance * scale) {
        basis.push({ unit: j, w });
        continue;
      }
      // z_j = Σ c_k (z_k − b_k) + b_j: move its outgoing weights onto the basis, the constant into the next bias.
      const out = next.w[j]!;
      const constant = layer.b[j]! - basis.reduce((s, b, k) => s + c[k]! * layer.b[b.unit]!, 0);
      basis.forEach((b, k) => (next.w[b.unit] = next.w[b.unit]!.map((v, o) => v + c[k]! * out[o]!)));
      next.b = next.b.map((v, o) => v + constant * out[o]!);
      folded.add(j);
    }
    const keep = Array.from({ length: net.hidden[l]!.units }, (_, j) => j).filter((j) => !inactive.has(j) && !folded.has(j));
    keepUnits(layer, next, keep);
    removedInactive.push(inactive.size);
    foldedActive.push(folded.size);
  }
  let inputs = net.inputSize;
  const frozenLayers = layers.map((layer) => {
    const f = frozen(layer, inputs);
    inputs = f.units;
    return f;
  });
  return {
    network: { inputSize: net.inputSize, hidden: frozenLayers.slice(0, -1), output: frozenLayers[frozenLayers.length - 1]! },
    removedInactive,
    foldedActive,
    kept: frozenLayers.slice(0, -1).map((l) => l.units),
  };
}
