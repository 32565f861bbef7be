/**
 * The big-M MILP encoding of a ReLU network's first hidden layers over an
 * input box (Tjeng, Xiao, Tedrake 2019; Serra, Tjandraatmadja, Ramalingam
 * 2018): every feasible point is exactly an input x in the box together with
 * the network's hidden outputs h at x, so optimising a linear function of the
 * last encoded layer's h optimises it over the box.
 *
 * Per unit, with z = W·h_prev + b and sound bounds L ≤ z ≤ U:
 * - U ≤ 0 (stably inactive): h = 0, so no column at all (the next layer's
 *   expressions skip it);
 * - L ≥ 0 (stably active): h = z, one equality row, no binary;
 * - otherwise a binary a (1 = active) and
 *     h ≥ z,  h ≥ 0,  h ≤ z − L·(1 − a),  h ≤ U·a,
 *   which forces h = max(z, 0) at a = 1 (z ≥ 0) and a = 0 (z ≤ 0).
 * The bounds are the big-M constants, so they must be sound (every point of
 * the box inside them) and should be tight (the LP relaxation, hence the
 * solve time, depends on them).
 *
 * Optional margins δ (for region counting) strengthen the unstable units to
 * z ≥ δ when a = 1 and z ≤ −δ when a = 0, so that a feasible pattern holds
 * with a positive margin on an open set (see region-count.ts).
 */
import { MilpModel } from './highs';
import type { LayerBounds } from './interval-bounds';
import type { OptionValue } from 'highs';
import type { DenseLayerWeights, InputBox, ReluNetwork } from './relu-network';

export type UnitStability = 'inactive' | 'active' | 'unstable';

/**
 * A unit whose pre-activation is ≤ 0 on the whole box outputs 0 there
 * (removable); one whose pre-activation is ≥ 0 is the identity there
 * (foldable into the next layer). Both are exact on the closed box, so the
 * comparisons are non-strict. A unit with L = U = 0 (constant zero) is called
 * inactive: either reading is exact, and removing it is the simpler one.
 */
export function unitStability(lower: number, upper: number): UnitStability {
  if (upper <= 0) return 'inactive';
  if (lower >= 0) return 'active';
  return 'unstable';
}

/** One encoded hidden layer. */
export interface EncodedLayer {
  /** Column of each unit's output h, or −1 where h ≡ 0 (stably inactive). */
  readonly h: Int32Array;
  /** Column of each unit's binary a, or −1 for a stable unit. */
  readonly a: Int32Array;
  readonly stability: readonly UnitStability[];
}

export interface ReluMilp {
  readonly model: MilpModel;
  /** Columns of the input coordinates x. */
  readonly inputs: Int32Array;
  readonly layers: EncodedLayer[];
}

/** A linear expression Σ values·v[indices] + constant over model columns. */
export interface LinearExpression {
  readonly indices: number[];
  readonly values: number[];
  readonly constant: number;
}

/** Unit `unit`'s pre-activation z = W·h_prev + b over the previous layer's columns (−1 columns are zero and skipped). */
export function preActivationExpression(layer: DenseLayerWeights, inputColumns: Int32Array, unit: number): LinearExpression {
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < layer.inputs; i++) {
    const column = inputColumns[i]!;
    const w = layer.weights[i * layer.units + unit]!;
    if (column < 0 || w === 0) continue;
    indices.push(column);
    values.push(w);
  }
  return { indices, values, constant: layer.bias[unit]! };
}

/** Appends the box's input columns. */
export function addInputColumns(model: MilpModel, box: InputBox): Int32Array {
  const columns = new Int32Array(box.lower.length);
  for (let i = 0; i < columns.length; i++) columns[i] = model.addColumn(box.lower[i]!, box.upper[i]!);
  return columns;
}

/**
 * Appends one hidden layer fed by `inputColumns`, with its pre-activation
 * bounds (the big-M constants) and, optionally, per-unit margins (used only
 * by unstable units).
 */
export function addReluLayer(
  model: MilpModel,
  layer: DenseLayerWeights,
  inputColumns: Int32Array,
  bounds: LayerBounds,
  margins?: Float64Array,
): EncodedLayer {
  const h = new Int32Array(layer.units).fill(-1);
  const a = new Int32Array(layer.units).fill(-1);
  const stability: UnitStability[] = [];
  for (let j = 0; j < layer.units; j++) {
    const L = bounds.lower[j]!;
    const U = bounds.upper[j]!;
    const state = unitStability(L, U);
    stability.push(state);
    if (state === 'inactive') continue;
    const z = preActivationExpression(layer, inputColumns, j);
    const minusZ = z.values.map((v) => -v);
    const b = z.constant;
    if (state === 'active') {
      // h = z exactly; its bounds are implied but help the LP.
      const hj = model.addColumn(L, U);
      h[j] = hj;
      model.addRow(b, b, [hj, ...z.indices], [1, ...minusZ]);
      continue;
    }
    const hj = model.addColumn(0, U);
    const aj = model.addColumn(0, 1, true);
    h[j] = hj;
    a[j] = aj;
    model.addRow(b, Infinity, [hj, ...z.indices], [1, ...minusZ]); // h − z ≥ 0
    model.addRow(-Infinity, b - L, [hj, ...z.indices, aj], [1, ...minusZ, -L]); // h − z − L·a ≤ −L
    model.addRow(-Infinity, 0, [hj, aj], [1, -U]); // h − U·a ≤ 0
    const delta = margins?.[j];
    if (delta !== undefined && delta > 0) {
      // a = 1 ⇒ z ≥ δ:  z − (δ − L)·a ≥ L.
      model.addRow(L - b, Infinity, [...z.indices, aj], [...z.values, -(delta - L)]);
      // a = 0 ⇒ z ≤ −δ:  z − (U + δ)·a ≤ −δ.
      model.addRow(-Infinity, -delta - b, [...z.indices, aj], [...z.values, -(U + delta)]);
    }
  }
  return { h, a, stability };
}

export interface ReluMilpOptions {
  /** Per hidden layer, per unit margins δ (see addReluLayer); none by default. */
  readonly margins?: readonly Float64Array[];
  /** HiGHS options for the model (snake_case names). */
  readonly highsOptions?: Readonly<Record<string, OptionValue>>;
}

/** A new model encoding the first `depth` hidden layers of `net` over `box`, with `bounds[l]` as layer l's big-M bounds. */
export async function buildReluMilp(
  net: ReluNetwork,
  box: InputBox,
  bounds: readonly LayerBounds[],
  depth: number,
  options: ReluMilpOptions = {},
): Promise<ReluMilp> {
  if (depth < 0 || depth > net.hidden.length || bounds.length < depth) {
    throw new RangeError(`cannot encode ${depth} of ${net.hidden.length} hidden layers with bounds for ${bounds.length}`);
  }
  const model = await MilpModel.create(options.highsOptions);
  try {
    const inputs = addInputColumns(model, box);
    const layers: EncodedLayer[] = [];
    let previous = inputs;
    for (let l = 0; l < depth; l++) {
      const encoded = addReluLayer(model, net.hidden[l]!, previous, bounds[l]!, options.margins?.[l]);
      layers.push(encoded);
      previous = encoded.h;
    }
    return { model, inputs, layers };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
