/**
 * The layers of each architecture, from its width and depth. Every family
 * builds its networks from these, so an `mlp` of a given width is the same
 * network in every study.
 *
 *   mlp:  dense(width, f) × depth                        → dense${depth} (logits)
 *         (or dense(widths[i], f) for i < widths.length, when per-layer widths are given)
 *   cnn:  [conv 3×3 (width·2^i channels), ReLU, pool 2] × depth → dense (logits)
 *   lstm: LSTM over the image rows (width units), then dense(width, ReLU) × (depth − 1) → dense (logits)
 *
 * Default depth: 2 for the MLP and the CNN, 1 for the LSTM. Layer names are
 * the parameters' prefixes, which sweep files use (a corruption `target`).
 */
import type { Activation } from './activation';
import type { Arch } from './arch';
import { convLayer } from './conv';
import { denseLayer } from './dense';
import type { Layer } from './layer';
import { lstmLayer } from './lstm';

export interface ArchitectureOptions {
  /** MLP/LSTM hidden units, or channels of the CNN's first conv layer. */
  width: number;
  /** Hidden layers. @default 2 (mlp, cnn), 1 (lstm) */
  depth?: number;
  /**
   * The MLP's hidden widths, input side first (e.g. [10, 7, 5, 4, 3]): when given they
   * replace `width` and set the depth (a `depth` given too must equal widths.length).
   * Only the MLP takes them. @default `depth` layers of `width`
   */
  widths?: readonly number[];
  /** @default 10 */
  numClasses?: number;
  /** Nonlinearity of the MLP's hidden layers (the CNN and the LSTM's dense layers use ReLU). @default 'relu' */
  activation?: Activation;
  /** Input image size, one channel; the MLP sees height·width inputs, the LSTM `height` steps of `imageWidth`. @default 28×28 */
  height?: number;
  imageWidth?: number;
}

export interface Architecture {
  readonly arch: Arch;
  readonly hidden: readonly Layer[];
  /** The output layer: linear, numClasses units. */
  readonly head: Layer;
  /** Length of one flattened input example. */
  readonly inputSize: number;
  /** Length of the last hidden layer's output, flattened: the head's input. */
  readonly headInputSize: number;
  /** Shape the first layer reads, from flattened examples: [-1, inputSize] or [-1, h, w, 1]. */
  readonly inputShape: readonly number[];
}

export const DEFAULT_DEPTH: Readonly<Record<Arch, number>> = { mlp: 2, cnn: 2, lstm: 1 };

export function architecture(arch: Arch, options: ArchitectureOptions): Architecture {
  const { width, widths, numClasses = 10, activation = 'relu', height = 28, imageWidth = 28 } = options;
  const depth = options.depth ?? widths?.length ?? DEFAULT_DEPTH[arch] ?? 2;
  if (!(Number.isInteger(width) && width >= 1)) throw new RangeError(`${arch} needs a width that is a positive integer, got ${width}`);
  if (widths !== undefined) {
    if (arch !== 'mlp') throw new RangeError(`only the mlp takes per-layer widths, not the ${arch}`);
    if (widths.length !== depth) throw new RangeError(`mlp widths [${widths.join(', ')}] give ${widths.length} hidden layers, but the depth is ${depth}`);
    if (!widths.every((w) => Number.isInteger(w) && w >= 1)) throw new RangeError(`mlp widths must be positive integers, got [${widths.join(', ')}]`);
  }
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`${arch} needs a depth that is a positive integer, got ${depth}`);
  const inputSize = height * imageWidth;
  switch (arch) {
    case 'mlp': {
      const units = widths ?? Array.from({ length: depth }, () => width);
      const hidden = units.map((n, i) => denseLayer(`dense${i}`, i === 0 ? inputSize : units[i - 1]!, n, activation));
      const last = units[depth - 1]!;
      return { arch, hidden, head: denseLayer(`dense${depth}`, last, numClasses, 'linear'), inputSize, headInputSize: last, inputShape: [-1, inputSize] };
    }
    case 'cnn': {
      const hidden: Layer[] = [];
      let [h, w, channels] = [height, imageWidth, 1];
      for (let i = 0; i < depth; i++) {
        hidden.push(convLayer(`conv${i}`, channels, width * 2 ** i));
        channels = width * 2 ** i;
        [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
        if (h < 1 || w < 1) throw new RangeError(`a cnn of depth ${depth} needs images of at least ${2 ** depth}×${2 ** depth}, got ${height}×${imageWidth}`);
      }
      const flat = h * w * channels;
      return { arch, hidden, head: denseLayer('dense', flat, numClasses, 'linear'), inputSize, headInputSize: flat, inputShape: [-1, height, imageWidth, 1] };
    }
    case 'lstm': {
      const hidden = [lstmLayer('lstm', height, imageWidth, width)];
      for (let i = 1; i < depth; i++) hidden.push(denseLayer(`dense${i}`, width, width, 'relu'));
      return { arch, hidden, head: denseLayer('dense', width, numClasses, 'linear'), inputSize, headInputSize: width, inputShape: [-1, inputSize] };
    }
    default:
      throw new RangeError(`unknown architecture '${String(arch)}' (known: mlp, cnn, lstm)`);
  }
}
