/**
 * A network assembled for one transfer strategy: per transferable layer a
 * mode says where its weights come from and whether they train, and the head
 * (output layer) is always fresh. It is a models/Model, so the shared
 * training loop trains it unchanged; `trainable` is what the optimizer updates.
 *
 *   fresh      seeded new weights, trained
 *   frozen     the source layer's weights, not trained
 *   fine-tune  initialised from the source layer, trained
 *   ptu        three branches (frozen source, fine-tuned copy, fresh) under a PTU
 *
 * Fresh weights of layer i come from their own stream (`deriveSeed(seed,
 * 'layer', i)`), so a target-only network, the untransferred layers of
 * share-k, and a PTU's fresh branch all start from the same weights.
 *
 * The layers are the shared architectures' (models/architecture.ts) at depth
 * TRANSFER_LAYERS_COUNT, so `k` means the same in every one: an MLP's two
 * dense layers, a CNN's two conv blocks, the LSTM and a dense layer after it.
 * The head is never transferred (half the pairs change the label set).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../artifacts/weights-codec';
import { TrialInputError } from '../errors';
import { architecture } from '../models/architecture';
import { singleBranch, type Mixer } from '../models/layer';
import { disposeParams, type Arch, type Model, type ModelParam } from '../models/model';
import { forwardPass, type Network, type NetworkLayer } from '../models/network';
import { deriveSeed, Rng } from '../rng';
import { initPtu, ptuMixer, type PtuParams } from './ptu';
import { TRANSFER_LAYERS_COUNT } from './strategy';

export type LayerMode = 'fresh' | 'frozen' | 'fine-tune' | 'ptu';

export interface TransferNetOptions {
  arch: Arch;
  width: number;
  numClasses: number;
  /** Seed of every fresh weight (layers, PTU gates, head). */
  seed: number;
  /** One per transferable layer. */
  modes: readonly LayerMode[];
  /** The source network's weights by name; needed unless every mode is 'fresh'. */
  source?: readonly NamedArray[];
}

export interface GateMeans {
  /** 0-based index of the transferable layer. */
  readonly layer: number;
  readonly g: number;
  readonly r: number;
}

export interface TransferNet extends Model {
  readonly modes: readonly LayerMode[];
  /** Per transferable layer, its branches' weights: [source, target, fresh] under a PTU, one branch otherwise. */
  readonly branches: readonly (readonly (readonly ModelParam[])[])[];
  /** Per transferable layer, its PTU's U_g, b_g, U_r, b_r, or null. */
  readonly ptus: readonly (PtuParams | null)[];
  /** Variables the optimizer updates (frozen source weights are not among them). */
  readonly trainable: tf.Variable[];
  /** Mean g and r of every PTU layer over the examples of `x` (all steps, for the LSTM). */
  gateMeans(x: tf.Tensor2D): Promise<GateMeans[]>;
}

function fromValues(name: string, values: Float32Array, shape: readonly number[]): ModelParam {
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, true);
  initial.dispose();
  return { name, variable };
}

export function buildTransferNet(options: TransferNetOptions): TransferNet {
  const { arch, width, numClasses, seed, modes, source } = options;
  const spec = architecture(arch, { width, depth: TRANSFER_LAYERS_COUNT, numClasses });
  if (modes.length !== spec.hidden.length) {
    throw new TrialInputError(`${arch} has ${spec.hidden.length} transferable layers, got ${modes.length} modes`);
  }
  const sourceByName = new Map((source ?? []).map((a) => [a.name, a]));
  const params: ModelParam[] = [];
  const trainable: tf.Variable[] = [];
  const branches: ModelParam[][][] = [];
  const mixers: Mixer[] = [];
  const ptus: (PtuParams | null)[] = [];
  // Set only while gateMeans runs: where the PTU mixers report their gates.
  let observe: ((layer: number, g: tf.Tensor2D, r: tf.Tensor2D) => void) | null = null;

  const copyOfSource = (layerIndex: number): ModelParam[] =>
    spec.hidden[layerIndex]!.shapes.map(({ name, shape }) => {
      const stored = sourceByName.get(name);
      if (!stored) throw new TrialInputError(`the source network has no weights '${name}' (was it trained with this architecture and width?)`);
      if (stored.shape.join('x') !== shape.join('x')) {
        throw new TrialInputError(`source weights '${name}' have shape [${stored.shape}], the ${arch} needs [${shape}]`);
      }
      return fromValues(name, stored.values, shape);
    });

  const own = (list: ModelParam[], train: boolean): ModelParam[] => {
    params.push(...list);
    if (train) trainable.push(...list.map((p) => p.variable));
    return list;
  };

  try {
    spec.hidden.forEach((layer, i) => {
      const fresh = () => layer.init(new Rng(deriveSeed(seed, 'layer', i)));
      const mode = modes[i]!;
      switch (mode) {
        case 'fresh':
          branches.push([own(fresh(), true)]);
          mixers.push(singleBranch);
          ptus.push(null);
          break;
        case 'frozen':
        case 'fine-tune':
          branches.push([own(copyOfSource(i), mode === 'fine-tune')]);
          mixers.push(singleBranch);
          ptus.push(null);
          break;
        case 'ptu': {
          branches.push([own(copyOfSource(i), false), own(copyOfSource(i), true), own(fresh(), true)]);
          const unit = initPtu(new Rng(deriveSeed(seed, 'ptu', i)), layer.name, layer.units);
          own([...unit], true);
          ptus.push(unit);
          mixers.push(ptuMixer(unit, (g, r) => observe?.(i, g, r)));
          break;
        }
        default:
          throw new TrialInputError(`unknown layer mode '${String(mode)}'`);
      }
    });
    const head = own(spec.head.init(new Rng(deriveSeed(seed, 'head'))), true);
    const hidden: NetworkLayer[] = spec.hidden.map((layer, i) => ({ layer, branches: branches[i]!, mix: mixers[i]! }));
    const network: Network = { architecture: spec, hidden, head };
    const forward: Model['forward'] = (x, hooks) => forwardPass(network, x, hooks);

    const gateMeans = async (x: tf.Tensor2D): Promise<GateMeans[]> => {
      const layers = ptus.flatMap((unit, i) => (unit ? [i] : []));
      if (layers.length === 0) return [];
      const means = tf.tidy(() => {
        const seen = new Map<number, { g: tf.Tensor[]; r: tf.Tensor[] }>();
        observe = (layer, g, r) => {
          const entry = seen.get(layer) ?? { g: [], r: [] };
          entry.g.push(tf.mean(g));
          entry.r.push(tf.mean(r));
          seen.set(layer, entry);
        };
        try {
          forward(x);
        } finally {
          observe = null;
        }
        // Every call of a layer's mixer sees the same number of gates, so the mean of means is the mean.
        return tf.stack(layers.flatMap((i) => [tf.mean(tf.stack(seen.get(i)!.g)), tf.mean(tf.stack(seen.get(i)!.r))]));
      });
      const values = await means.data();
      means.dispose();
      return layers.map((layer, j) => ({ layer, g: values[2 * j]!, r: values[2 * j + 1]! }));
    };

    return {
      arch,
      architecture: spec,
      numClasses,
      inputSize: spec.inputSize,
      params,
      modes,
      branches,
      ptus,
      trainable,
      forward,
      apply: (x) => forward(x).logits,
      gateMeans,
      dispose: () => disposeParams(params),
    };
  } catch (err) {
    disposeParams(params);
    throw err;
  }
}

export { exportWeights } from '../models/weights';
