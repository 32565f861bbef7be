/** One switch over the architectures, for families that take `arch` as a parameter. */
import { buildCnn } from './cnn';
import { buildLstm } from './lstm';
import { buildMlp, type Activation } from './mlp';
import type { Arch, Model } from './model';

export interface ModelOptions {
  /** MLP/LSTM hidden units, or channels of the CNN's first conv layer. */
  width: number;
  /** MLP hidden layers (ignored by the CNN and LSTM). Default 2. */
  depth?: number;
  /** Seed of the initial weights. */
  seed: number;
  numClasses?: number;
  /** MLP hidden activation (default 'relu'). */
  activation?: Activation;
  /** Input image size (default 28×28); the MLP sees height·width inputs. */
  height?: number;
  imageWidth?: number;
}

export function buildModel(arch: Arch, options: ModelOptions): Model {
  const { width, depth = 2, seed, numClasses = 10, activation, height = 28, imageWidth = 28 } = options;
  switch (arch) {
    case 'mlp':
      return buildMlp({ width, depth, seed, numClasses, activation, inputSize: height * imageWidth });
    case 'cnn':
      return buildCnn({ width, seed, numClasses, height, imageWidth });
    case 'lstm':
      return buildLstm({ width, seed, numClasses, steps: height, stepSize: imageWidth });
    default:
      throw new Error(`unknown architecture '${String(arch)}' (known: mlp, cnn, lstm)`);
  }
}
