/** Builds a plain model of any architecture: every layer fresh, one branch, seeded initial weights. */
import { Rng } from '../rng';
import type { Activation } from './activation';
import type { Arch } from './arch';
import { architecture } from './architecture';
import { singleBranch } from './layer';
import { disposeParams, type Model } from './model';
import { forwardPass, type Network } from './network';

export interface ModelOptions {
  /** MLP/LSTM hidden units, or channels of the CNN's first conv layer. */
  width: number;
  /** Hidden layers. @default 2 (mlp, cnn), 1 (lstm); see architecture.ts */
  depth?: number;
  /** The MLP's hidden widths, input side first, in place of `width` × `depth` (architecture.ts). */
  widths?: readonly number[];
  /** Seed of the initial weights: one stream drawn layer by layer, input side first. */
  seed: number;
  /** @default 10 */
  numClasses?: number;
  /** MLP hidden activation. @default 'relu' */
  activation?: Activation;
  /** Input image size. @default 28×28 */
  height?: number;
  imageWidth?: number;
}

export function buildModel(arch: Arch, options: ModelOptions): Model {
  const { seed, imageWidth, ...shape } = options;
  const spec = architecture(arch, { ...shape, imageWidth });
  const rng = new Rng(seed);
  const hidden = spec.hidden.map((layer) => ({ layer, branches: [layer.init(rng)], mix: singleBranch }));
  const head = spec.head.init(rng);
  const params = [...hidden.flatMap((l) => l.branches[0]!), ...head];
  const network: Network = { architecture: spec, hidden, head };
  return {
    arch,
    architecture: spec,
    numClasses: spec.head.units,
    inputSize: spec.inputSize,
    params,
    forward: (x, hooks) => forwardPass(network, x, hooks),
    apply: (x) => forwardPass(network, x).logits,
    dispose: () => disposeParams(params),
  };
}
