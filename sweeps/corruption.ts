/**
 * Parameter corruption (Sun et al., AAAI 2021): how much can a corruption of
 * the parameters of norm ε raise the loss, random vs gradient-based (one step,
 * and multi-step PGD), for normally and corruption-resistantly trained networks,
 * over the whole network and layer by layer. One trial trains one model (or
 * reuses it, see src/experiments/corruption/model-cache.ts) and measures every ε
 * of its list, one metric step per ε.
 *
 *   sweep submit sweeps/corruption.ts --preset smoke --wait   # 24 trials, a few minutes on 2 CPU cores
 *   sweep table corruption --rows training,norm --cols eps --metric lossIncrease.gradient
 *   sweep table corruption --rows training,norm --cols eps --metric lossIncrease.random.mean
 *   sweep table corruption --rows training,norm,target --cols eps --metric accuracy.gradient
 *
 * The ε scales of L2 and L∞ differ (an L∞ budget applies to every coordinate),
 * so each norm comes with its own ε list and resistant-training ε (a zip).
 * Layer names are the models' own, so each architecture comes with its targets.
 * The paper's networks (ResNet, Transformer, …) are beyond a CPU laptop; the
 * `paper` preset runs its protocol on the architectures of src/experiments/models.
 */
import { defineSweep, zip } from '../src/sweep';

const L2 = { norm: 'L2', epsilons: '0.03,0.1,0.3,1,3', resistEps: 0.1 } as const;
const LINF = { norm: 'Linf', epsilons: '0.0003,0.001,0.003,0.01,0.03', resistEps: 0.0003 } as const;

const budgets = zip({
  norm: [L2.norm, LINF.norm],
  epsilons: [L2.epsilons, LINF.epsilons],
  resistEps: [L2.resistEps, LINF.resistEps],
});

export default defineSweep({
  name: 'corruption',
  family: 'corruption',
  description: 'Parameter corruption: gradient-based vs random vs PGD loss increase over ε, normal vs resistant training, per layer',
  parameters: {
    dataset: 'fashion',
    model: zip({
      arch: ['mlp', 'mlp', 'mlp', 'mlp', 'cnn', 'cnn', 'cnn', 'cnn', 'lstm', 'lstm', 'lstm'],
      target: ['all', 'dense0', 'dense1', 'dense2', 'all', 'conv0', 'conv1', 'dense', 'all', 'lstm', 'dense'],
    }),
    width: 64,
    depth: 2,
    optimizer: 'adam',
    learningRate: 1e-3,
    epochs: 5,
    batchSize: 64,
    trainSize: 10_000,
    testSize: 1_000,
    training: ['normal', 'resistant'],
    budget: budgets,
    draws: 100,
    pgdSteps: 5,
  },
  seeds: 3,
  timeouts: { trial: '2h', heartbeat: '2m' },
  presets: {
    smoke: {
      parameters: {
        dataset: 'mnist',
        model: zip({ arch: ['mlp', 'mlp', 'mlp'], target: ['all', 'dense0', 'dense1'] }),
        width: 64,
        depth: 1,
        learningRate: 3e-3,
        epochs: 8,
        trainSize: 2_000,
        testSize: 500,
        draws: 100,
        pgdSteps: 5,
      },
      seeds: 2,
      timeouts: { trial: '15m' },
    },
    paper: {
      parameters: {
        width: 128,
        epochs: 20,
        trainSize: 60_000,
        testSize: 10_000,
        pgdSteps: 10,
      },
      seeds: 5,
      taskQueue: 'gpu',
      timeouts: { trial: '12h' },
    },
  },
});
