/**
 * Information flow in noisy DNNs (Goldfeld et al., ICML 2019, arXiv 1810.05728):
 * the noisy 12-10-7-5-4-3-2 MLP on the SZT task, every hidden layer
 * T_ℓ = f(W_ℓ T_{ℓ−1} + b_ℓ) + N(0, β² I), trained with Adam (lr 4e-4, batch 256),
 * and at log-spaced checkpoint epochs the SP estimate of I(X; T_ℓ) per layer,
 * the binned entropy of the noise-free network and the clustering of same-class
 * representations (src/experiments/infoflow/run.ts names every metric).
 * β × activation × orthonormality × seeds; α only acts with orthonormality on, so
 * it is held fixed (the off trials then appear once).
 *
 *   sweep submit sweeps/infoflow.ts --preset smoke --wait   # 16 tiny trials, a few minutes on 2 CPU cores
 *   sweep submit sweeps/infoflow.ts                         # 16 × 3 seeds, 1,000 epochs each (hours on 2 cores)
 *   sweep submit sweeps/infoflow.ts --preset paper          # 16 × 5 seeds, 10,000 epochs, 100 checkpoints (GPU queue)
 *
 * Checkpoints are steps carrying `epoch`, so `epoch` is a table axis. The paper's
 * curves, one table per activation × orthonormality, I(X; T_ℓ) in nats for layer ℓ
 * (1 = nearest the input … 5 = the last hidden layer) and its Monte Carlo error:
 *
 *   sweep table infoflow --rows epoch --cols beta --by activation,orthonormal --metric mi.5
 *   sweep table infoflow --rows epoch --cols beta --by activation,orthonormal --metric mi.4,miStderr.4
 *
 * Clustering beside it (same-class pairs closer than 2β; within/between distance
 * ratio), and the binning estimate of the noise-free network at one bin size:
 *
 *   sweep table infoflow --rows epoch --cols beta --by activation,orthonormal --metric sameClassClose.5,clusterRatio.5
 *   sweep table infoflow --rows epoch --cols beta --by activation,orthonormal --metric binH.5.0.01
 *
 * Summaries per trial (no epoch axis): how far I(X; T_ℓ) fell after its peak
 * (compression.ℓ), when it peaked, and the estimator's cost:
 *
 *   sweep table infoflow --rows activation,orthonormal --cols beta --metric compression.5,miPeakEpoch.5
 *   sweep table infoflow --rows activation,orthonormal --cols beta --metric estimatorSeconds,trainSeconds
 */
import { defineSweep } from '../src/sweep';

export default defineSweep({
  name: 'infoflow',
  family: 'infoflow',
  description: 'Noisy-DNN information flow on SZT: SP estimates of I(X;T_l) over training, binning, clustering; beta x activation x orthonormality',
  parameters: {
    dataset: 'szt',
    widths: '10,7,5,4,3',
    beta: [0.005, 0.01, 0.05, 0.1],
    activation: ['tanh', 'relu'],
    orthonormal: [false, true],
    alpha: 3e-4,
    optimizer: 'adam',
    learningRate: 4e-4,
    batchSize: 256,
    trainFraction: 0.8,
    epochs: 1000,
    checkpoints: 30,
    estimateInputs: 4096,
    replicas: 16,
    mcSamples: 4096,
    binSizes: '0.001,0.01,0.1',
  },
  seeds: 3,
  timeouts: { trial: '4h', heartbeat: '2m' },
  presets: {
    smoke: {
      parameters: {
        epochs: 40,
        checkpoints: 5,
        learningRate: 3e-3,
        estimateInputs: 1024,
        replicas: 4,
        mcSamples: 512,
      },
      seeds: 1,
      timeouts: { trial: '15m' },
    },
    paper: {
      parameters: {
        epochs: 10_000,
        checkpoints: 100,
        replicas: 64,
        mcSamples: 8192,
      },
      seeds: 5,
      taskQueue: 'gpu',
      timeouts: { trial: '24h' },
    },
  },
});
