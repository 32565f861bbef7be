/**
 * The Parameter Transfer Unit study (Zhang, Zhang, Yang 2018): every domain pair
 * × architecture × transfer strategy × number of target labels × seed. Source
 * networks are trained once per (source domain, architecture, seed) and reused
 * from the results database by every trial that needs them.
 *
 *   sweep submit sweeps/ptu-grid.ts --preset smoke --wait   # 30 trials, under 5 minutes on 2 CPU cores
 *   sweep submit sweeps/ptu-grid.ts                         # 7 × 3 × 5 × 3 × 3 = 945 trials
 *   sweep submit sweeps/ptu-grid.ts --preset paper          # 7 × 3 × 5 × 4 × 5 = 2,100 longer trials
 *
 * The paper's table (one per architecture and target size):
 *
 *   sweep table ptu-grid --rows strategy --cols pair --by arch,targetSize --metric testAccuracy --best max
 *
 * Which transfer state the PTUs learned: --metric gateG1 (g → 1 share, g → 0 fine-tune
 * or scratch, told apart by gateR1), likewise gateG2, gateR2.
 */
import { defineSweep, zip } from '../src/sweep';

const ALL_PAIRS = [
  'mnist->mnist-rot30',
  'mnist->mnist-rot45',
  'mnist->mnist-inv',
  'mnist->mnist-8x8',
  'mnist->fashion',
  'fashion->mnist',
  'fashion0-4->fashion5-9',
] as const;

export default defineSweep({
  name: 'ptu-grid',
  family: 'transfer',
  description: 'PTU vs target-only, fine-tuning and sharing the first k layers, across domain pairs and architectures',
  parameters: {
    pair: [...ALL_PAIRS],
    // Widths per architecture: an MLP layer of 128 units costs about what 8 conv channels do.
    model: zip({ arch: ['mlp', 'cnn', 'lstm'], width: [128, 8, 32] }),
    strategy: ['target-only', 'fine-tune', 'share-k', 'fine-tune-k', 'ptu'],
    // share-k and fine-tune-k transfer the first layer (of two); the others ignore k.
    k: 1,
    targetSize: [100, 300, 1000],
    testSize: 1000,
    epochs: 20,
    batchSize: 32,
    optimizer: 'adam',
    learningRate: 1e-3,
    sourceSize: 4000,
    sourceEpochs: 5,
    sourceLearningRate: 1e-3,
  },
  seeds: 3,
  timeouts: { trial: '2h', heartbeat: '2m' },
  presets: {
    smoke: {
      // Two pairs (a rotation, and new classes from the same images), every architecture and strategy.
      parameters: {
        pair: ['mnist->mnist-rot30', 'fashion0-4->fashion5-9'],
        model: zip({ arch: ['mlp', 'cnn', 'lstm'], width: [64, 4, 16] }),
        targetSize: 300,
        testSize: 500,
        epochs: 8,
        sourceSize: 2000,
        sourceEpochs: 2,
      },
      seeds: 1,
      timeouts: { trial: '10m' },
    },
    paper: {
      parameters: {
        model: zip({ arch: ['mlp', 'cnn', 'lstm'], width: [256, 16, 64] }),
        targetSize: [100, 200, 500, 1000],
        testSize: 2000,
        epochs: 50,
        sourceEpochs: 10,
      },
      seeds: 5,
      timeouts: { trial: '6h' },
    },
  },
});
