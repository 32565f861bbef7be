/**
 * The sample-propagation (SP) estimator of Goldfeld et al. (ICML 2019) for a
 * noisy layer T = S + Z, Z ~ N(0, β² I_d).
 *
 * Given n inputs x_1..x_n (the input distribution: uniform over them) and, for
 * each, r samples s_{x,1..r} of S | X = x (S propagated through the noise of the
 * layers below; r = 1 when S is a function of x, as in the first hidden layer),
 * the SP estimates are the entropies of the Gaussian mixtures centred there:
 *
 *   p̂(t | x) = (1/r) Σ_j φ_β(t − s_{x,j}),     p̂(t) = (1/n) Σ_x p̂(t | x),
 *   ĥ(T | X) = (1/n) Σ_x h(p̂(· | x)),          ĥ(T) = h(p̂),
 *   Î(X; T)  = ĥ(T) − ĥ(T | X) = (1/n) Σ_x E_{t ~ p̂(·|x)} [log p̂(t | x) − log p̂(t)].
 *
 * The entropies are integrated by Monte Carlo, with the same points for both:
 * point i takes an input x_i (the inputs in a seeded order, cycled: stratified),
 * one of its replicas j_i at random and fresh noise, t_i = s_{x_i, j_i} + β z_i, so
 * t_i ~ p̂(· | x_i), and the estimates are the means over the points of −log p̂(t_i),
 * −log p̂(t_i | x_i) and their difference. Sharing the points makes the difference's
 * error far smaller than either entropy's (the χ² spread of ‖z‖² cancels). Each
 * `…Stderr` is the Monte Carlo standard error: the points' sample standard
 * deviation over √(points), conservative for the stratified draw. It is the error
 * of the integration only, not of having n·r samples of S.
 *
 * Bounds. p̂(t) = p̂(t | x)/n + (the other inputs' part) ≥ p̂(t | x)/n, so every
 * point's log-ratio is at most ln n, and so is Î: with the 4,096 SZT patterns,
 * ln 4096 ≈ 8.318. The code computes p̂(t) in exactly that form (the own input's
 * part and the rest apart, added in float64), so the bound holds whatever the
 * rounding. Î ≥ 0 holds for the exact mixture entropies (concavity) but not for
 * their Monte Carlo means: `mi` is the mean clipped to [0, ln n], `miRaw` the
 * mean itself. With r = 1, h(p̂(· | x)) is a single Gaussian's, (d/2) ln(2πeβ²)
 * exactly, and `hCond` is that value (stderr 0); the points' log p̂(t_i | x_i) is
 * then log φ_β(z_i), computed from the drawn noise.
 *
 * Vectorised on the tfjs backend, in blocks of points. Against all n·r centres at
 * once, exp(−‖t − c‖²/(2β²)) is one matrix product of augmented rows,
 * [t/β², −1, −‖t‖²/(2β²)] · [c, ‖c‖²/(2β²), 1] (around the centres' mean), an exp
 * and a row sum; the point's own input's columns of that same matrix are gathered
 * and subtracted, leaving the other inputs' part. No max shift is needed: a point
 * lies within a few β of its own centres, whose terms (e^{−χ²_d/2}) are far from
 * float32 underflow, and terms that underflow are negligible beside them. The
 * product's float32 rounding is about 1e-7 (‖t‖² + ‖c‖²)/(2β²) nats per term:
 * ~0.05 for tanh layers (values in [−1, 1], d ≤ 10) at β = 0.005, growing with the
 * activations' scale (ReLU) and as 1/β²; it matters only where other inputs'
 * centres come within a few β of the point (merged clusters), and averages out
 * over the points. The own input's part, over its r replicas only, is computed
 * from the differences t − c themselves (for r = 1: from the drawn noise), so
 * separated representations give exactly ln n.
 */
import * as tf from '@tensorflow/tfjs';
import { gaussianValues } from './noisy-model';
import { permutation, type Rng } from '../rng';

export interface SpOptions {
  /** Noise standard deviation β. */
  readonly beta: number;
  /** Monte Carlo points. */
  readonly samples: number;
  /** Stream of the points' inputs, replicas and noise. */
  readonly rng: Rng;
  /** Elements of one block [points, centres] of the log-sum-exp: memory only, not results. @default 2^22 */
  readonly blockElements?: number;
}

export interface SpEstimate {
  /** Î(X; T) in nats, clipped to [0, ln n]. */
  readonly mi: number;
  /** The Monte Carlo mean before clipping. */
  readonly miRaw: number;
  readonly miStderr: number;
  /** ĥ(T), nats (a differential entropy: may be negative). */
  readonly h: number;
  readonly hStderr: number;
  /** ĥ(T | X), nats: exact (stderr 0) when there is one replica. */
  readonly hCond: number;
  readonly hCondStderr: number;
  /** ln n, the bound of `mi`. */
  readonly bound: number;
}

function meanAndStderr(values: Float64Array): { mean: number; stderr: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, stderr: n > 1 ? Math.sqrt(squares / (n - 1) / n) : 0 };
}

/** (d/2) ln(2πeβ²): the entropy of N(0, β² I_d). */
export function gaussianEntropy(dimension: number, beta: number): number {
  return (dimension / 2) * Math.log(2 * Math.PI * Math.E * beta * beta);
}

/**
 * SP estimates for one layer. `centres` [n·r, d] holds the samples of S,
 * input-major: row x·r + j is replica j of input x. Reads the backend once per block.
 */
export async function spEstimate(centres: tf.Tensor2D, inputs: number, replicas: number, options: SpOptions): Promise<SpEstimate> {
  const { beta, samples, rng, blockElements = 2 ** 22 } = options;
  const [rows, d] = centres.shape;
  if (!(Number.isInteger(inputs) && inputs >= 1 && Number.isInteger(replicas) && replicas >= 1 && rows === inputs * replicas)) {
    throw new RangeError(`spEstimate: ${rows} centres are not ${inputs} inputs × ${replicas} replicas`);
  }
  if (!(beta > 0)) throw new RangeError(`spEstimate: β must be positive, got ${beta}`);
  if (!(Number.isInteger(samples) && samples >= 2)) throw new RangeError(`spEstimate: needs at least 2 Monte Carlo points, got ${samples}`);

  // The points: inputs stratified (a seeded order, cycled), replicas at random, fresh noise.
  const order = permutation(inputs, rng);
  const pointInput = new Int32Array(samples);
  const pointCentre = new Int32Array(samples);
  for (let i = 0; i < samples; i++) {
    pointInput[i] = order[i % inputs]!;
    pointCentre[i] = pointInput[i]! * replicas + (replicas > 1 ? rng.int(replicas) : 0);
  }
  const noiseValues = gaussianValues(samples * d, beta, rng);

  const twoBetaSq = 2 * beta * beta;
  const gaussianLogNorm = -(d / 2) * Math.log(2 * Math.PI * beta * beta);
  /** log Σ over the other inputs' centres c of exp(−‖t − c‖²/(2β²)); −∞ with one input. */
  const logOthers = new Float64Array(samples).fill(-Infinity);
  /** log p̂(t_i | x_i). */
  const logCond = new Float64Array(samples);

  const [points, augmentedPoints, augmentedCentres, grouped] = tf.tidy(() => {
    const mean = tf.mean(centres, 0, true);
    const centred = tf.sub(centres, mean) as tf.Tensor2D;
    const noise = tf.tensor2d(noiseValues, [samples, d]);
    const points = tf.add(tf.sub(tf.gather(centres, tf.tensor1d(pointCentre, 'int32')), mean), noise) as tf.Tensor2D;
    // [t/β², −1, −‖t‖²/(2β²)] · [c, ‖c‖²/(2β²), 1] = −‖t − c‖²/(2β²): the whole exponent in one product.
    const halfSquares = (x: tf.Tensor2D) => tf.expandDims(tf.div(tf.sum(tf.square(x), 1), twoBetaSq), 1);
    return [
      points,
      tf.concat([tf.div(points, beta * beta), tf.fill([samples, 1], -1), tf.neg(halfSquares(points))], 1) as tf.Tensor2D,
      tf.concat([centred, halfSquares(centred), tf.ones([rows, 1])], 1) as tf.Tensor2D,
      tf.reshape(centred, [inputs, replicas, d]) as tf.Tensor3D,
    ];
  });
  try {
    const block = Math.max(1, Math.floor(blockElements / Math.max(rows, replicas * d)));
    for (let start = 0; start < samples; start += block) {
      const size = Math.min(block, samples - start);
      const ownInputs = pointInput.subarray(start, start + size);
      const ownColumns = new Int32Array(size * replicas);
      ownInputs.forEach((x, i) => {
        for (let j = 0; j < replicas; j++) ownColumns[i * replicas + j] = x * replicas + j;
      });
      const [allBlock, ownBlock, condBlock] = tf.tidy(() => {
        // exp(−‖t − c‖²/(2β²)) against every centre, summed; less the own input's columns of the same matrix.
        // No max shift: a point lies within a few β of its own centres, whose terms are far from underflow,
        // and terms that do underflow are negligible beside them.
        const terms = tf.exp(tf.matMul(tf.slice(augmentedPoints, [start, 0], [size, d + 2]), augmentedCentres, false, true));
        const all = tf.sum(terms, 1);
        const ownApproximate = tf.sum(tf.gather(terms, tf.tensor2d(ownColumns, [size, replicas], 'int32'), 1, 1), 1);
        if (replicas === 1) return [all, ownApproximate, undefined];
        const t = tf.slice(points, [start, 0], [size, d]);
        const own = tf.gather(grouped, tf.tensor1d(ownInputs, 'int32')); // [size, r, d]
        const distances = tf.sum(tf.square(tf.sub(own, tf.expandDims(t, 1))), 2); // [size, r]
        return [all, ownApproximate, tf.logSumExp(tf.div(distances, -twoBetaSq), 1)];
      });
      const [allValues, ownValues] = await Promise.all([allBlock!.data(), ownBlock!.data()]);
      tf.dispose([allBlock!, ownBlock!]);
      // The other inputs' part: the difference of two sums of the same float32 terms. Where the own
      // terms dominate, its rounding (~1e-7 of the total) is negligible beside them.
      for (let i = 0; i < size; i++) {
        const rest = allValues[i]! - ownValues[i]!;
        logOthers[start + i] = rest > 0 ? Math.log(rest) : -Infinity;
      }
      if (condBlock) {
        const values = await condBlock.data();
        condBlock.dispose();
        for (let i = 0; i < size; i++) logCond[start + i] = values[i]! + gaussianLogNorm - Math.log(replicas);
      }
    }
  } finally {
    tf.dispose([points, augmentedPoints, augmentedCentres, grouped]);
  }
  if (replicas === 1) {
    // log φ_β(z_i), from the drawn noise itself.
    for (let i = 0; i < samples; i++) {
      let squares = 0;
      for (let k = 0; k < d; k++) squares += noiseValues[i * d + k]! ** 2;
      logCond[i] = gaussianLogNorm - squares / twoBetaSq;
    }
  }

  // p̂(t) = p̂(t | x)/n + (1/(n·r)) Σ_{other inputs' centres} φ_β(t − c): at least p̂(t | x)/n, so each ratio is ≤ ln n.
  const bound = Math.log(inputs);
  const logMix = new Float64Array(samples);
  const ratio = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const own = logCond[i]! - bound;
    const rest = logOthers[i]! + gaussianLogNorm - Math.log(rows);
    const high = Math.max(own, rest);
    logMix[i] = high + Math.log1p(Math.exp(Math.min(own, rest) - high));
    ratio[i] = logCond[i]! - logMix[i]!;
  }
  const mi = meanAndStderr(ratio);
  const h = meanAndStderr(logMix);
  const cond = meanAndStderr(logCond);
  const exactCond = replicas === 1;
  return {
    mi: Math.min(bound, Math.max(0, mi.mean)),
    miRaw: mi.mean,
    miStderr: mi.stderr,
    h: -h.mean,
    hStderr: h.stderr,
    hCond: exactCond ? gaussianEntropy(d, beta) : -cond.mean,
    hCondStderr: exactCond ? 0 : cond.stderr,
    bound,
  };
}
