/**
 * The infoflow family's estimators against known answers: the SP estimator
 * (sp-estimator.ts) on 1-D Gaussian mixtures whose entropies are integrated
 * numerically, a single noisy tanh neuron with X uniform on {−3, −1, 1, 3}
 * (I(X; T) ≈ ln 4 at a small weight, → ln 2 as the four points merge into two
 * clusters), a two-layer noisy chain whose conditional entropies need the
 * replicas, and the bound ln n (ln 4096 with the SZT patterns); the binned
 * entropy and the clustering measures on hand-made inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { binnedEntropy } from '../../src/experiments/infoflow/binning';
import { clusterMeasures } from '../../src/experiments/infoflow/clustering';
import { noisyModel } from '../../src/experiments/infoflow/noisy-model';
import { measureLayers } from '../../src/experiments/infoflow/run';
import { gaussianEntropy, spEstimate } from '../../src/experiments/infoflow/sp-estimator';
import { buildModel } from '../../src/experiments/models/build';
import { Rng } from '../../src/experiments/rng';

beforeAll(async () => {
  await initBackend();
});

let tensorsBefore = 0;
beforeEach(() => {
  tensorsBefore = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

const LN4096 = Math.log(4096);

/** φ_β(t). */
function gaussian(t: number, beta: number): number {
  return Math.exp(-(t * t) / (2 * beta * beta)) / (beta * Math.sqrt(2 * Math.PI));
}

/** −∫ p log p by Simpson's rule over a grid covering every component to ±10β. */
function integratedEntropy(density: (t: number) => number, low: number, high: number, steps = 40_000): number {
  const h = (high - low) / steps;
  let total = 0;
  for (let k = 0; k <= steps; k++) {
    const p = density(low + k * h);
    const f = p > 0 ? -p * Math.log(p) : 0;
    total += f * (k === 0 || k === steps ? 1 : k % 2 === 1 ? 4 : 2);
  }
  return (total * h) / 3;
}

function mixtureEntropy(centres: readonly number[], beta: number): number {
  const density = (t: number) => centres.reduce((s, c) => s + gaussian(t - c, beta), 0) / centres.length;
  return integratedEntropy(density, Math.min(...centres) - 10 * beta, Math.max(...centres) + 10 * beta);
}

async function estimate1d(centres: readonly number[], inputs: number, replicas: number, beta: number, samples: number, seed = 1) {
  const tensor = tf.tensor2d([...centres], [centres.length, 1]);
  try {
    return await spEstimate(tensor, inputs, replicas, { beta, samples, rng: new Rng(seed) });
  } finally {
    tensor.dispose();
  }
}

describe('the SP estimator on 1-D Gaussian mixtures', () => {
  it('h(T) of a mixture matches numerical integration within 3 standard errors; h(T|X) is exact', async () => {
    const centres = [-1, 0, 0.4, 2];
    const beta = 0.3;
    const exact = mixtureEntropy(centres, beta);
    const est = await estimate1d(centres, 4, 1, beta, 100_000);
    expect(est.hStderr).toBeGreaterThan(0);
    expect(est.hStderr).toBeLessThan(0.01);
    expect(Math.abs(est.h - exact)).toBeLessThan(3 * est.hStderr);
    expect(est.hCond).toBeCloseTo(gaussianEntropy(1, beta), 12);
    expect(est.hCondStderr).toBe(0);
    const mi = exact - gaussianEntropy(1, beta);
    expect(Math.abs(est.mi - mi)).toBeLessThan(3 * est.miStderr);
  });

  it('with replicas, h(T|X=x) is each input’s own mixture: both terms and I match integration', async () => {
    const groups = [
      [-1, -0.8, -1.1],
      [1, 1.2, 0.7],
    ];
    const beta = 0.3;
    const est = await estimate1d(groups.flat(), 2, 3, beta, 100_000);
    const h = mixtureEntropy(groups.flat(), beta);
    const hCond = (mixtureEntropy(groups[0]!, beta) + mixtureEntropy(groups[1]!, beta)) / 2;
    expect(Math.abs(est.h - h)).toBeLessThan(3 * est.hStderr);
    expect(Math.abs(est.hCond - hCond)).toBeLessThan(3 * est.hCondStderr);
    expect(Math.abs(est.mi - (h - hCond))).toBeLessThan(3 * est.miStderr + 1e-9);
    expect(est.mi).toBeLessThanOrEqual(Math.log(2));
  });

  it('refuses centres that are not inputs × replicas', async () => {
    await expect(estimate1d([0, 1, 2], 2, 2, 0.1, 100)).rejects.toThrow(RangeError);
  });
});

/** I(X; tanh(wX) + Z) for X uniform on {−3, −1, 1, 3}, by integration. */
function neuronInformation(w: number, beta: number): number {
  return mixtureEntropy([-3, -1, 1, 3].map((x) => Math.tanh(w * x)), beta) - gaussianEntropy(1, beta);
}

describe('a single noisy tanh neuron, X uniform on {−3, −1, 1, 3}', () => {
  const beta = 0.01;

  /** The runner's measurement of a 1-1-2 network whose hidden weight is w (bias 0). */
  async function measuredNeuron(w: number): Promise<{ mi: number; stderr: number }> {
    const inner = buildModel('mlp', { width: 1, widths: [1], seed: 3, activation: 'tanh', height: 1, imageWidth: 1, numClasses: 2 });
    const model = noisyModel(inner, { beta, seed: 4 });
    const kernel = inner.params.find((p) => p.name === 'dense0/kernel')!.variable;
    tf.tidy(() => kernel.assign(tf.tensor2d([[w]])));
    const inputs = tf.tensor2d([-3, -1, 1, 3], [4, 1]);
    try {
      const { metrics } = await measureLayers(model, inputs, Int32Array.from([0, 0, 1, 1]), {
        beta,
        replicas: 4,
        mcSamples: 20_000,
        binSizes: [0.1],
        rng: new Rng(5),
      });
      return { mi: metrics['mi.1']!, stderr: metrics['miStderr.1']! };
    } finally {
      inputs.dispose();
      model.dispose();
    }
  }

  it('I(X; T) ≈ ln 4 at a small weight (four separate points) and → ln 2 at a large one (two clusters)', async () => {
    const small = await measuredNeuron(0.1);
    expect(neuronInformation(0.1, beta)).toBeCloseTo(Math.log(4), 6);
    expect(Math.abs(small.mi - Math.log(4))).toBeLessThan(3 * small.stderr + 1e-3);
    const large = await measuredNeuron(5);
    expect(neuronInformation(5, beta)).toBeCloseTo(Math.log(2), 4);
    expect(Math.abs(large.mi - Math.log(2))).toBeLessThan(3 * large.stderr + 1e-3);
  });

  it('follows the integrated I(X; T) as the weight grows and the outer points merge with the inner ones', async () => {
    let previous = Infinity;
    for (const w of [1.5, 2, 2.5, 3, 4]) {
      const exact = neuronInformation(w, beta);
      const { mi, stderr } = await measuredNeuron(w);
      expect(Math.abs(mi - exact), `w = ${w}: ${mi} vs ${exact} ± ${stderr}`).toBeLessThan(3 * stderr + 2e-3);
      expect(mi).toBeLessThanOrEqual(Math.log(4));
      expect(exact).toBeLessThan(previous);
      previous = exact;
    }
  });
});

describe('a two-layer noisy chain: the second layer’s h(T|X) from replicas', () => {
  it('matches integration over the first layer’s noise, and obeys data processing', async () => {
    const beta = 0.1;
    const [w1, w2] = [1, 1.5];
    const xs = [-3, -1, 1, 3];
    // p(t2 | x) = ∫ φ(z) φ_β(t2 − tanh(w2 (tanh(w1 x) + z))) dz, by a Riemann sum over z.
    const zs = Array.from({ length: 801 }, (_, k) => -8 * beta + (16 * beta * k) / 800);
    const zWeights = zs.map((z) => gaussian(z, beta) * ((16 * beta) / 800));
    const conditional = (x: number) => (t: number) =>
      zs.reduce((s, z, k) => s + zWeights[k]! * gaussian(t - Math.tanh(w2 * (Math.tanh(w1 * x) + z)), beta), 0);
    const [low, high] = [-1 - 10 * beta, 1 + 10 * beta];
    const hCond = xs.reduce((s, x) => s + integratedEntropy(conditional(x), low, high, 4000), 0) / xs.length;
    const h = integratedEntropy((t) => xs.reduce((s, x) => s + conditional(x)(t), 0) / xs.length, low, high, 4000);
    const exact = h - hCond;

    const inner = buildModel('mlp', { width: 1, widths: [1, 1], seed: 3, activation: 'tanh', height: 1, imageWidth: 1, numClasses: 2 });
    const model = noisyModel(inner, { beta, seed: 4 });
    tf.tidy(() => {
      inner.params.find((p) => p.name === 'dense0/kernel')!.variable.assign(tf.tensor2d([[w1]]));
      inner.params.find((p) => p.name === 'dense1/kernel')!.variable.assign(tf.tensor2d([[w2]]));
    });
    const inputs = tf.tensor2d(xs, [4, 1]);
    try {
      const { metrics } = await measureLayers(model, inputs, Int32Array.from([0, 0, 1, 1]), {
        beta,
        replicas: 256,
        mcSamples: 20_000,
        binSizes: [0.1],
        rng: new Rng(6),
      });
      // The SP estimate carries the error of 256 samples of S_2 | x besides its Monte Carlo error.
      expect(Math.abs(metrics['mi.2']! - exact), `${metrics['mi.2']} vs ${exact}`).toBeLessThan(3 * metrics['miStderr.2']! + 0.02);
      expect(Math.abs(metrics['hCond.2']! - hCond)).toBeLessThan(0.03);
      expect(metrics['mi.2']!).toBeLessThanOrEqual(metrics['mi.1']! + 3 * metrics['miStderr.1']!);
      expect(metrics['hCond.1']).toBeCloseTo(gaussianEntropy(1, beta), 12);
    } finally {
      inputs.dispose();
      model.dispose();
    }
  });
});

describe('the bound ln n', () => {
  /** 4,096 centres on a 16³ grid of [−1, 1]³ (spacing 2/15), each with `replicas` copies jittered by `jitter`. */
  function gridCentres(replicas: number, jitter: number, rng: Rng): Float32Array {
    const values = new Float32Array(4096 * replicas * 3);
    for (let k = 0; k < 4096; k++) {
      const point = [k % 16, Math.floor(k / 16) % 16, Math.floor(k / 256)].map((i) => -1 + (2 * i) / 15);
      for (let j = 0; j < replicas; j++) point.forEach((v, c) => (values[(k * replicas + j) * 3 + c] = v + jitter * rng.normal()));
    }
    return values;
  }

  it('separated representations of the 4,096 inputs give ln 4096 and never more', async () => {
    for (const [beta, replicas] of [
      [0.005, 1],
      [0.005, 2],
      [0.01, 3],
    ] as const) {
      const centres = tf.tensor2d(gridCentres(replicas, beta, new Rng(7)), [4096 * replicas, 3]);
      const est = await spEstimate(centres, 4096, replicas, { beta, samples: 4096, rng: new Rng(8) });
      centres.dispose();
      expect(est.bound).toBe(LN4096);
      expect(est.miRaw).toBeLessThanOrEqual(LN4096);
      expect(est.mi).toBeLessThanOrEqual(LN4096);
      expect(est.mi, `β = ${beta}, ${replicas} replicas`).toBeGreaterThan(LN4096 - 1e-3);
      // Sharing the points: with separated inputs every point's log-ratio is ln n, whatever its noise.
      expect(est.miStderr).toBeLessThan(est.hStderr / 100);
    }
  });

  it('merged representations give little, never below 0, never above ln n at any scale', async () => {
    for (const [beta, scale] of [
      [0.05, 0.001],
      [0.05, 0.05],
      [0.5, 1],
      [0.001, 0.01],
    ] as const) {
      const centres = tf.tensor2d(
        gridCentres(2, 0, new Rng(9)).map((v) => v * scale),
        [8192, 3],
      );
      const est = await spEstimate(centres, 4096, 2, { beta, samples: 2048, rng: new Rng(10) });
      centres.dispose();
      expect(est.miRaw).toBeLessThanOrEqual(LN4096);
      expect(est.mi).toBeGreaterThanOrEqual(0);
      expect(est.mi).toBeLessThanOrEqual(LN4096);
      if (scale / beta < 0.1) expect(est.mi).toBeLessThan(0.1);
    }
  });
});

describe('the binned entropy H(Bin(T))', () => {
  it('counts the cells of ⌊v / size⌋, in nats', () => {
    const values = [0.05, 0.15, 0.25, 0.95];
    expect(binnedEntropy(values, 4, 0.1)).toBeCloseTo(Math.log(4), 12);
    expect(binnedEntropy(values, 4, 1)).toBe(0);
    // ⌊v / 0.2⌋ = 0, 0, 1, 4: probabilities ½, ¼, ¼.
    expect(binnedEntropy(values, 4, 0.2)).toBeCloseTo(-(0.5 * Math.log(0.5) + 0.5 * Math.log(0.25)), 12);
    // Rows are cells of every coordinate: (0,0) twice, (0,1), (−1,0) → ½, ¼, ¼; negative values bin below 0.
    expect(binnedEntropy([0.01, 0.02, 0.03, 0.04, 0.05, 0.5, -0.05, 0.01], 4, 0.1)).toBeCloseTo(-(0.5 * Math.log(0.5) + 0.5 * Math.log(0.25)), 12);
    expect(() => binnedEntropy(values, 3, 0.1)).toThrow(RangeError);
    expect(() => binnedEntropy(values, 4, 0)).toThrow(RangeError);
  });

  it('is ln n for distinct cells and at most ln 4096 over the SZT inputs', () => {
    const rng = new Rng(11);
    const values = Array.from({ length: 4096 * 3 }, () => rng.uniform(-1, 1));
    expect(binnedEntropy(values, 4096, 1e-6)).toBeCloseTo(LN4096, 10);
    expect(binnedEntropy(values, 4096, 0.5)).toBeLessThan(LN4096);
  });
});

describe('the clustering measures', () => {
  it('on four hand-made points: the fraction of close same-class pairs and the distance ratio', async () => {
    // class 0: (0, 0), (0, 0.01); class 1: (1, 0), (1, 0.5); rows deliberately not sorted by class.
    const points = tf.tensor2d([1, 0, 0, 0, 1, 0.5, 0, 0.01], [4, 2]);
    const labels = Int32Array.from([1, 0, 1, 0]);
    const within = (0.01 + 0.5) / 2;
    const between = (1 + Math.hypot(1, 0.5) + Math.hypot(1, 0.01) + Math.hypot(1, 0.49)) / 4;
    for (const blockElements of [2 ** 22, 4]) {
      const measures = await clusterMeasures(points, labels, 0.02, blockElements);
      expect(measures.sameClassClose).toBeCloseTo(0.5, 12);
      expect(measures.clusterRatio).toBeCloseTo(within / between, 5);
    }
    // All same-class pairs within the radius: 1; none: 0.
    expect((await clusterMeasures(points, labels, 1)).sameClassClose).toBe(1);
    expect((await clusterMeasures(points, labels, 0.005)).sameClassClose).toBe(0);
    points.dispose();
    const pair = tf.zeros([2, 2]) as tf.Tensor2D;
    await expect(clusterMeasures(pair, Int32Array.from([0, 1]), 1)).rejects.toThrow(RangeError);
    pair.dispose();
  });

  it('agrees with a brute-force float64 count on 300 random points of three classes, in blocks', async () => {
    const rng = new Rng(12);
    const n = 300;
    const d = 5;
    const labels = Int32Array.from({ length: n }, () => rng.int(3));
    // Class centres plus small spread, so that some same-class pairs are close.
    const values = Array.from({ length: n * d }, (_, k) => labels[Math.floor(k / d)]! * 0.3 + 0.05 * rng.normal());
    const radius = 0.08;
    let close = 0;
    let same = 0;
    let sameSum = 0;
    let different = 0;
    let differentSum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        let sq = 0;
        for (let c = 0; c < d; c++) sq += (values[i * d + c]! - values[j * d + c]!) ** 2;
        if (labels[i] === labels[j]) {
          same++;
          sameSum += Math.sqrt(sq);
          if (sq < radius * radius) close++;
        } else {
          different++;
          differentSum += Math.sqrt(sq);
        }
      }
    }
    const points = tf.tensor2d(values, [n, d]);
    const measures = await clusterMeasures(points, labels, radius, 1000);
    points.dispose();
    expect(close).toBeGreaterThan(0);
    expect(Math.abs(measures.sameClassClose - close / same)).toBeLessThan(2 / same);
    expect(measures.clusterRatio).toBeCloseTo(sameSum / same / (differentSum / different), 4);
  });
});
