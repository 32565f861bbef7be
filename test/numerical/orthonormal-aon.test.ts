/**
 * The pieces of approximated orthonormal normalisation (src/experiments/orthonormal/aon.ts)
 * against an exact float64 reference written here: a cyclic Jacobi
 * eigendecomposition of the smaller side's Gram matrix, which gives the
 * singular values, σ_max and the orthonormal polar factor U Vᵀ = (M Mᵀ)^(−1/2) M
 * (wide M) or M (MᵀM)^(−1/2) (tall M).
 *
 *  - P_K A approaches the polar factor as K grows, the error decreasing in K, as
 *    the singular-value formula predicts;
 *  - σ_max by power iteration (the default 32 iterations) matches the exact one on
 *    the family's layer sizes, from below;
 *  - gradients through h are finite, and match central finite differences (float32,
 *    step 1e-2) on small matrices, where 32 power iterations have converged (the
 *    gradient holds the power-iteration vector constant, as Miyato et al. do);
 *  - h(W)'s orthogonality error is far below W's and SN(W)'s.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { aon, seriesCoefficients, seriesPolynomial, seriesProduct } from '../../src/experiments/orthonormal/aon';
import { orthogonalityError, orthogonalityPenalty } from '../../src/experiments/orthonormal/orthogonality';
import { spectralNorm, spectralNormalise, startVector } from '../../src/experiments/orthonormal/spectral-norm';
import { asMatrix, fromMatrix } from '../../src/experiments/orthonormal/weight-matrix';
import { Rng } from '../../src/experiments/rng';

// ---------------------------------------------------------------- float64 reference

/** A dense row-major float64 matrix. */
interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  return { rows, cols, data: data ? Float64Array.from(data) : new Float64Array(rows * cols) };
}

function mul(a: Mat, b: Mat): Mat {
  const c = mat(a.rows, b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let k = 0; k < a.cols; k++) {
      const x = a.data[i * a.cols + k]!;
      for (let j = 0; j < b.cols; j++) c.data[i * b.cols + j]! += x * b.data[k * b.cols + j]!;
    }
  }
  return c;
}

function transpose(a: Mat): Mat {
  const t = mat(a.cols, a.rows);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) t.data[j * a.rows + i] = a.data[i * a.cols + j]!;
  return t;
}

function frobeniusDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(total);
}

/**
 * Eigendecomposition S = Q diag(λ) Qᵀ of a symmetric matrix by cyclic Jacobi
 * rotations, in float64, until the off-diagonal mass is below 1e-30 of the total.
 */
function jacobiEigen(s: Mat): { values: number[]; vectors: Mat } {
  const n = s.rows;
  const a = Float64Array.from(s.data);
  const q = mat(n, n);
  for (let i = 0; i < n; i++) q.data[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n * n; i++) {
      total += a[i]! ** 2;
      if (i % (n + 1) !== 0) off += a[i]! ** 2;
    }
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r]!;
        if (apr === 0) continue;
        // The rotation that zeroes a[p][r]: t = tan θ, the smaller root of t² + 2θ't − 1 = 0.
        const theta = (a[r * n + r]! - a[p * n + p]!) / (2 * apr);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const [akp, akr] = [a[k * n + p]!, a[k * n + r]!];
          a[k * n + p] = c * akp - sn * akr;
          a[k * n + r] = sn * akp + c * akr;
        }
        for (let k = 0; k < n; k++) {
          const [apk, ark] = [a[p * n + k]!, a[r * n + k]!];
          a[p * n + k] = c * apk - sn * ark;
          a[r * n + k] = sn * apk + c * ark;
        }
        for (let k = 0; k < n; k++) {
          const [qkp, qkr] = [q.data[k * n + p]!, q.data[k * n + r]!];
          q.data[k * n + p] = c * qkp - sn * qkr;
          q.data[k * n + r] = sn * qkp + c * qkr;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => a[i * n + i]!), vectors: q };
}

/** f(G) = Q f(Λ) Qᵀ for a symmetric G. */
function matrixFunction(g: Mat, f: (lambda: number) => number): Mat {
  const { values, vectors } = jacobiEigen(g);
  const n = g.rows;
  const scaled = mat(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaled.data[i * n + j] = vectors.data[i * n + j]! * f(values[j]!);
  return mul(scaled, transpose(vectors));
}

const isWide = (m: Mat) => m.rows <= m.cols;
const smallerGram = (m: Mat) => (isWide(m) ? mul(m, transpose(m)) : mul(transpose(m), m));

/** The singular values of M, largest first (from the smaller side's Gram matrix). */
function singularValues(m: Mat): number[] {
  return jacobiEigen(smallerGram(m))
    .values.map((lambda) => Math.sqrt(Math.max(lambda, 0)))
    .sort((x, y) => y - x);
}

/** The orthonormal polar factor U Vᵀ of a full-rank M. */
function polarFactor(m: Mat): Mat {
  const inverseRoot = matrixFunction(smallerGram(m), (lambda) => 1 / Math.sqrt(lambda));
  return isWide(m) ? mul(inverseRoot, m) : mul(m, inverseRoot);
}

// ---------------------------------------------------------------- fixtures

let backend = '';
beforeAll(async () => {
  backend = await initBackend();
});

/** A seeded matrix of uniform entries in ±scale (scale √(6/fan-in): He-uniform, as the family's layers start). */
function randomMatrix(rows: number, cols: number, seed: number, scale = Math.sqrt(6 / rows)): Mat {
  const rng = new Rng(seed);
  return mat(rows, cols, Array.from({ length: rows * cols }, () => rng.uniform(-scale, scale)));
}

const toTensor = (m: Mat) => tf.tensor2d(Float32Array.from(m.data), [m.rows, m.cols]);

const starts: tf.Tensor[] = [];
function start(m: { rows: number; cols: number }, seed = 5): tf.Tensor2D {
  const vector = startVector(Math.min(m.rows, m.cols), seed);
  starts.push(vector);
  return vector;
}
afterAll(() => tf.dispose(starts));

/** The matrix sizes of the family's layers ([fan-in, units]): MLP widths 64 and 128, the CNN at width 8, their heads. */
const LAYER_SIZES: readonly (readonly [number, number])[] = [
  [784, 64],
  [64, 64],
  [64, 10],
  [784, 128],
  [128, 128],
  [9, 8],
  [72, 16],
  [784, 10],
];

// ---------------------------------------------------------------- tests

describe('the float64 reference', () => {
  it('Jacobi: Q Λ Qᵀ is the matrix and Q is orthogonal; the polar factor is orthonormal', () => {
    const m = randomMatrix(6, 9, 1);
    const g = smallerGram(m);
    const { values, vectors } = jacobiEigen(g);
    const rebuilt = matrixFunction(g, (lambda) => lambda);
    expect(frobeniusDistance(rebuilt.data, g.data)).toBeLessThan(1e-12 * Math.max(...values));
    const qtq = mul(transpose(vectors), vectors);
    const eye = mat(6, 6);
    for (let i = 0; i < 6; i++) eye.data[i * 6 + i] = 1;
    expect(frobeniusDistance(qtq.data, eye.data)).toBeLessThan(1e-12);
    for (const polar of [polarFactor(m), polarFactor(transpose(m))]) {
      expect(frobeniusDistance(smallerGram(polar).data, eye.data)).toBeLessThan(1e-10);
    }
    // Singular values of a diagonal matrix are its entries' magnitudes.
    expect(singularValues(mat(2, 3, [3, 0, 0, 0, -2, 0]))).toEqual([3, 2]);
  });
});

describe('the series P_K', () => {
  it('coefficients C(2k, k)/4^k', () => {
    expect(seriesCoefficients(4)).toEqual([1, 1 / 2, 3 / 8, 5 / 16, 35 / 128]);
    expect(() => seriesCoefficients(-1)).toThrow(RangeError);
  });

  it('P_K(E) by Horner is Σ c_k E^k; K = 1 is one Newton–Schulz step A(3I − AᵀA)/2', async () => {
    const m = randomMatrix(5, 8, 2);
    const a = tf.tidy(() => tf.div(toTensor(m), singularValues(m)[0]!) as tf.Tensor2D);
    const e = tf.tidy(() => tf.sub(tf.eye(5), tf.matMul(a, a, false, true)) as tf.Tensor2D);
    const direct = tf.tidy(() => {
      let power = tf.eye(5);
      let sum = tf.eye(5);
      seriesCoefficients(3).forEach((c, k) => {
        if (k === 0) return;
        power = tf.matMul(power, e);
        sum = tf.add(sum, tf.mul(power, c));
      });
      return sum;
    });
    const horner = tf.tidy(() => seriesPolynomial(e, 3));
    expect(frobeniusDistance(await horner.data(), await direct.data())).toBeLessThan(1e-5);
    const newtonSchulz = tf.tidy(() => tf.div(tf.matMul(a, tf.sub(tf.mul(tf.eye(8), 3), tf.matMul(a, a, true, false))), 2));
    const k1 = tf.tidy(() => seriesProduct(a, 1));
    expect(frobeniusDistance(await k1.data(), await newtonSchulz.data())).toBeLessThan(1e-5);
    // The wide and the tall form are the same matrix: P_K(I − AAᵀ)·A = A·P_K(I − AᵀA).
    const tallForm = tf.tidy(() => tf.transpose(seriesProduct(tf.transpose(a), 3)));
    const wideForm = tf.tidy(() => seriesProduct(a, 3));
    expect(frobeniusDistance(await tallForm.data(), await wideForm.data())).toBeLessThan(1e-5);
    tf.dispose([a, e, direct, horner, newtonSchulz, k1, tallForm, wideForm]);
  });

  it.each([
    [6, 10, 11],
    [10, 6, 12],
    [16, 40, 13],
    [64, 20, 14],
  ] as const)('%i×%i: ‖P_K A − U Vᵀ‖_F decreases in K, as the singular values predict', async (rows, cols, seed) => {
    const m = randomMatrix(rows, cols, seed);
    const s = singularValues(m);
    const a = mat(rows, cols, m.data.map((x) => x / s[0]!));
    const polar = polarFactor(a);
    const orders = [0, 1, 2, 3, 4, 6, 8, 12, 16];
    const errors: number[] = [];
    for (const order of orders) {
      const product = tf.tidy(() => seriesProduct(toTensor(a), order));
      errors.push(frobeniusDistance(await product.data(), polar.data));
      product.dispose();
      // The same error from the singular values: sqrt Σ (1 − ŝ·P_K(1 − ŝ²))², ŝ = s/σ_max.
      const predicted = Math.sqrt(
        s.reduce((total, value) => {
          const sHat = value / s[0]!;
          const p = seriesCoefficients(order).reduce((sum, c, k) => sum + c * (1 - sHat * sHat) ** k, 0);
          return total + (1 - sHat * p) ** 2;
        }, 0),
      );
      expect(errors.at(-1)!).toBeCloseTo(predicted, 4);
    }
    for (let i = 1; i < errors.length; i++) expect(errors[i]!).toBeLessThan(errors[i - 1]!);
    expect(errors.at(-1)!).toBeLessThan(0.5 * errors[0]!);
  });

  it('f(s) = s·P_K(1 − s²) is increasing on [0, 1] with f′(s) = (2K + 1)·c_K·(1 − s²)^K, so P_K A keeps W\'s top singular vector', () => {
    for (let order = 0; order <= 8; order++) {
      const c = seriesCoefficients(order);
      const f = (s: number) => s * c.reduce((sum, ck, k) => sum + ck * (1 - s * s) ** k, 0);
      for (let s = 0.01; s < 1; s += 0.01) {
        const derivative = (f(s + 1e-6) - f(s - 1e-6)) / 2e-6;
        expect(derivative).toBeCloseTo((2 * order + 1) * c[order]! * (1 - s * s) ** order, 6);
        expect(derivative).toBeGreaterThan(0);
      }
      expect(f(1)).toBe(1);
      // f(s)/s → P_K(1) = Σ c_k = (2K + 1)·c_K at s → 0: how much a low order lifts small singular values.
      expect(c.reduce((x, y) => x + y, 0)).toBeCloseTo((2 * order + 1) * c[order]!, 12);
    }
  });

  it.each([
    [784, 64],
    [64, 64],
    [72, 16],
    [10, 64],
  ] as const)('%i×%i: h(W) (K = 1, 3; 32 iterations) has largest singular value one, σ_max(P_K A) taken along W\'s power vector', async (rows, cols) => {
    const m = randomMatrix(rows, cols, 3 * rows + cols);
    const w = toTensor(m);
    const vector = start(m);
    for (const order of [1, 3]) {
      const h = tf.tidy(() => aon(w, { order, powerIterations: 32, start: vector }));
      const top = singularValues(mat(rows, cols, await h.data()))[0]!;
      h.dispose();
      expect(Math.abs(top - 1)).toBeLessThan(1e-4);
    }
    w.dispose();
  });

  it('a well-conditioned matrix: h(W) with K = 6 is the polar factor to 1e-4, with σ_max one', async () => {
    // W = Q·diag(s)·Vᵀ-like: an orthonormal-rowed matrix plus a small perturbation.
    const m = randomMatrix(8, 20, 21);
    const base = polarFactor(m);
    const noise = randomMatrix(8, 20, 22, 0.05);
    const w = mat(8, 20, base.data.map((x, i) => 3 * (x + noise.data[i]!)));
    const h = tf.tidy(() => aon(toTensor(w), { order: 6, powerIterations: 64, start: start(w) }));
    const values = await h.data();
    h.dispose();
    const sn = singularValues(w);
    expect(sn.at(-1)! / sn[0]!).toBeGreaterThan(0.7);
    expect(frobeniusDistance(values, polarFactor(w).data)).toBeLessThan(1e-4);
    expect(singularValues(mat(8, 20, values))[0]!).toBeCloseTo(1, 4);
  });
});

describe('σ_max by power iteration', () => {
  it.each(LAYER_SIZES)('%i×%i (and its transpose): 32 iterations are within 1% of the exact value, from below; 256 within 1e-4', async (rows, cols) => {
    for (const m of [randomMatrix(rows, cols, rows * 7 + cols), transpose(randomMatrix(rows, cols, rows * 7 + cols))]) {
      const exact = singularValues(m)[0]!;
      const w = toTensor(m);
      const vector = start(m);
      const [at32, at256] = await Promise.all([32, 256].map((n) => tf.tidy(() => spectralNorm(w, n, vector)).data()));
      w.dispose();
      const relative32 = (exact - at32![0]!) / exact;
      const relative256 = (exact - at256![0]!) / exact;
      expect(relative32).toBeLessThan(1e-2);
      expect(relative32).toBeGreaterThan(-1e-5); // ‖M v̂‖ ≤ σ_max, up to float32 rounding
      expect(Math.abs(relative256)).toBeLessThan(1e-4);
    }
  });

  it('SN(W) has largest singular value one; the start vector must fit the matrix', async () => {
    const m = randomMatrix(30, 12, 31);
    const w = toTensor(m);
    const normalised = tf.tidy(() => spectralNormalise(w, 128, start(m)));
    expect(singularValues(mat(30, 12, await normalised.data()))[0]!).toBeCloseTo(1, 5);
    expect(() => spectralNorm(w, 8, start({ rows: 30, cols: 30 }))).toThrow(RangeError);
    expect(() => spectralNorm(w, 0, start(m))).toThrow(RangeError);
    tf.dispose([w, normalised]);
  });
});

describe('gradients through h', () => {
  // Central differences in float32: with step 1e-2 the rounding error of a loss of
  // size one is about 1e-6/1e-2 = 1e-4 and the truncation error about 1e-4·|L'''|;
  // measured, the largest difference is 2e-5 to 8e-5 here (gradients of size ~1).
  const STEP = 1e-2;
  const TOLERANCE = 5e-4;

  it.each([
    [4, 6],
    [6, 4],
    [5, 5],
  ] as const)('%i×%i: the gradient of Σ R ⊙ h(W) and of Σ R ⊙ SN(W) matches central differences (K = 2; 32 and 256 power iterations)', async (rows, cols) => {
    const m = randomMatrix(rows, cols, 100 + rows * cols + rows, 1);
    const r = randomMatrix(rows, cols, 200 + rows, 1);
    const weights = toTensor(r);
    const vector = start(m);
    // v̂ is held constant in the gradient; on these small matrices 32 iterations have converged it.
    const transforms = [32, 256].flatMap((powerIterations) => [
      (w: tf.Tensor2D) => aon(w, { order: 2, powerIterations, start: vector }),
      (w: tf.Tensor2D) => spectralNormalise(w, powerIterations, vector),
    ]);
    for (const h of transforms) {
      const loss = (w: tf.Tensor) => tf.sum(tf.mul(h(w as tf.Tensor2D), weights)) as tf.Scalar;
      const gradient = tf.tidy(() => tf.grad(loss)(toTensor(m)));
      const analytic = await gradient.data();
      gradient.dispose();
      expect(analytic.every(Number.isFinite)).toBe(true);
      const at = (i: number, delta: number) => {
        const moved = Float32Array.from(m.data);
        moved[i]! += delta;
        return tf.tidy(() => loss(tf.tensor2d(moved, [rows, cols])).dataSync()[0]!);
      };
      let worst = 0;
      for (let i = 0; i < rows * cols; i++) {
        const difference = (at(i, STEP) - at(i, -STEP)) / (2 * STEP);
        worst = Math.max(worst, Math.abs(difference - analytic[i]!));
      }
      expect(worst).toBeLessThan(TOLERANCE);
      expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(0.1);
    }
    weights.dispose();
  });

  it('at a layer size (784×64, K = 3, 32 iterations), through the conv reshape too: finite and non-zero', async () => {
    for (const shape of [
      [784, 64],
      [3, 3, 8, 16],
    ]) {
      const size = shape.reduce((x, y) => x * y, 1);
      const units = shape.at(-1)!;
      const m = randomMatrix(size / units, units, 41);
      const kernel = tf.tensor(Float32Array.from(m.data), shape);
      const vector = start(m);
      const target = tf.randomNormal(shape, 0, 1, 'float32', 42);
      const gradient = tf.tidy(() =>
        tf.grad((k: tf.Tensor) => tf.sum(tf.mul(fromMatrix(aon(asMatrix(k), { order: 3, powerIterations: 32, start: vector }), shape), target)) as tf.Scalar)(kernel),
      );
      const values = await gradient.data();
      expect(gradient.shape).toEqual(shape);
      expect(values.every(Number.isFinite)).toBe(true);
      expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0);
      tf.dispose([kernel, target, gradient]);
    }
  });
});

describe('orthogonality', () => {
  it('‖G − I‖_F and the penalty on known matrices', async () => {
    const cases = tf.tidy(() => {
      const identityRows = tf.tensor2d([1, 0, 0, 0, 1, 0], [2, 3]); // orthonormal rows: error 0
      const doubled = tf.mul(tf.eye(3), 2) as tf.Tensor2D; // G = 4I: error √(3·9)
      const tall = tf.tensor2d([1, 0, 0, 1, 0, 0], [3, 2]); // orthonormal columns: error 0
      return tf.stack([orthogonalityError(identityRows), orthogonalityError(doubled), orthogonalityError(tall), orthogonalityPenalty([identityRows, doubled])]);
    });
    const [rowsError, doubledError, tallError, penalty] = await cases.data();
    cases.dispose();
    expect(rowsError).toBeCloseTo(0, 6);
    expect(doubledError).toBeCloseTo(Math.sqrt(27), 5);
    expect(tallError).toBeCloseTo(0, 6);
    expect(penalty).toBeCloseTo(27, 4);
  });

  it.each([
    [784, 64],
    [72, 16],
    [64, 10],
  ] as const)('%i×%i at initialisation: h(W) (K = 3) is far more orthonormal than W and than SN(W)', async (rows, cols) => {
    const m = randomMatrix(rows, cols, rows + cols);
    const w = toTensor(m);
    const vector = start(m);
    const errors = tf.tidy(() =>
      tf.stack([
        orthogonalityError(w),
        orthogonalityError(spectralNormalise(w, 32, vector)),
        orthogonalityError(aon(w, { order: 3, powerIterations: 32, start: vector })),
      ]),
    );
    const [raw, spectral, normalised] = await errors.data();
    tf.dispose([w, errors]);
    console.log(`${rows}×${cols} on ${backend}: ‖GG − I‖_F W ${raw!.toFixed(3)}, SN(W) ${spectral!.toFixed(3)}, h(W) ${normalised!.toFixed(3)}`);
    // Measured (native TensorFlow): h(W)/W 0.049, 0.12, 0.072 and h(W)/SN(W) 0.13, 0.27, 0.19 for these three sizes.
    expect(normalised!).toBeLessThan(0.15 * raw!);
    expect(normalised!).toBeLessThan(0.35 * spectral!);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    const m = randomMatrix(20, 12, 51);
    const w = toTensor(m);
    const vector = startVector(12, 1);
    const h = tf.tidy(() => aon(w, { order: 3, powerIterations: 32, start: vector }));
    const gradient = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(aon(x as tf.Tensor2D, { order: 3, powerIterations: 32, start: vector })) as tf.Scalar)(w));
    tf.dispose([w, vector, h, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
