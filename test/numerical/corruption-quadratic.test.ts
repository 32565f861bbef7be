/**
 * On a quadratic loss L(w) = ½(w − c)ᵀH(w − c) everything has a closed form
 * (issue 4, item 5): with g = H(w − c) and d the unit direction of the norm,
 * the first-order estimate is Δ̂ = ε‖g‖_dual and the exact increase of the
 * gradient-based corruption is Δ = Δ̂ + ½ε² dᵀHd, so Δ̂ matches Δ to first
 * order: (Δ − Δ̂)/ε² is the constant ½dᵀHd. The parameters span two tensors
 * (a vector and a matrix), as a layer's kernel and bias do.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { measureCorruption } from '../../src/experiments/corruption/measure';
import type { NormName } from '../../src/experiments/corruption/norms';
import type { LossProbe } from '../../src/experiments/corruption/probe';
import { Rng } from '../../src/experiments/rng';

const N = 7; // a [3] vector and a [2, 2] matrix
let H: number[][];
let c: number[];
let w0: number[];
let probe: LossProbe;
let variables: tf.Variable[];

function matVec(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}
function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

beforeAll(async () => {
  await initBackend();
  const rng = new Rng(11);
  // H = MᵀM + I: symmetric positive definite.
  const M = Array.from({ length: N }, () => Array.from({ length: N }, () => rng.normal()));
  H = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => M.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 1 : 0)));
  c = Array.from({ length: N }, () => rng.normal());
  w0 = Array.from({ length: N }, () => rng.normal());
  variables = [tf.variable(tf.tensor(w0.slice(0, 3), [3])), tf.variable(tf.tensor(w0.slice(3), [2, 2]))];
  const Ht = tf.tensor2d(H);
  const ct = tf.tensor1d(c);
  const loss = () =>
    tf.tidy(() => {
      const d = tf.sub(tf.concat([tf.reshape(variables[0]!, [-1]), tf.reshape(variables[1]!, [-1])]), ct);
      return tf.mul(0.5, tf.sum(tf.mul(d, tf.squeeze(tf.matMul(Ht, tf.reshape(d, [N, 1])))))) as tf.Scalar;
    });
  probe = {
    variables,
    async evaluate() {
      const l = loss();
      const value = (await l.data())[0]!;
      l.dispose();
      return { loss: value, accuracy: 0 };
    },
    gradient() {
      const { grads, value } = tf.variableGrads(loss, variables);
      value.dispose();
      return variables.map((v) => grads[v.name]!);
    },
  };
});

afterAll(() => tf.dispose(variables));

describe('corruption on a quadratic loss', () => {
  it.each(['L2', 'Linf'] as NormName[])('%s: Δ̂ is the closed form ε‖g‖, Δ is Δ̂ + ½ε²dᵀHd, and Δ̂ matches Δ to first order', async (norm) => {
    const g = matVec(H, w0.map((w, i) => w - c[i]!));
    const gL2 = Math.sqrt(dot(g, g));
    const d = norm === 'L2' ? g.map((x) => x / gL2) : g.map(Math.sign);
    const dual = norm === 'L2' ? gL2 : g.reduce((s, x) => s + Math.abs(x), 0);
    const curvature = 0.5 * dot(d, matVec(H, d));
    const epsilons = [1e-3, 1e-2, 1e-1, 1];
    const { results, gradientDualNorm } = await measureCorruption(probe, { norm, epsilons, draws: 2, pgdSteps: 0, seed: 1 });
    expect(gradientDualNorm / dual - 1).toBeLessThan(1e-5);
    const relativeErrors: number[] = [];
    for (const r of results) {
      const closedEstimate = r.eps * dual;
      const closedIncrease = closedEstimate + r.eps ** 2 * curvature;
      expect(Math.abs(r.estimate - closedEstimate) / closedEstimate).toBeLessThan(1e-5);
      // Measured in float32 on a loss of order 10: absolute error ~1e-5.
      expect(Math.abs(r.gradient.lossIncrease - closedIncrease)).toBeLessThan(2e-5 + 1e-5 * closedIncrease);
      relativeErrors.push(Math.abs(r.gradient.lossIncrease - r.estimate) / r.gradient.lossIncrease);
    }
    // First order: the relative error of Δ̂ shrinks in proportion to ε (≈ ε·curvature/dual).
    for (let i = 1; i < relativeErrors.length; i++) expect(relativeErrors[i - 1]!).toBeLessThan(relativeErrors[i]!);
    expect(relativeErrors[relativeErrors.length - 1]! / relativeErrors[1]!).toBeGreaterThan(50);
    // The variables are back at w.
    expect([...variables[0]!.dataSync(), ...variables[1]!.dataSync()]).toEqual(Array.from(Float32Array.from(w0)));
  });

  it('L2: the mean random increase is ½ε² tr(H)/n (the first-order term cancels), far below Δ̂', async () => {
    const trace = H.reduce((s, row, i) => s + row[i]!, 0);
    const eps = 0.1;
    const { results } = await measureCorruption(probe, { norm: 'L2', epsilons: [eps], draws: 4000, pgdSteps: 0, seed: 3 });
    const expected = 0.5 * eps ** 2 * trace / N;
    expect(Math.abs(results[0]!.random.lossIncreaseMean - expected) / expected).toBeLessThan(0.1);
    // Each draw still carries its first-order term: the spread is of order ε‖g‖/√n.
    expect(results[0]!.random.lossIncreaseStd).toBeGreaterThan(expected);
  });

  it.each(['L2', 'Linf'] as NormName[])('%s: multi-step PGD is at least the one-step increase and at most the second-order bound', async (norm) => {
    const lambdaMax = (() => {
      // Power iteration for H's largest eigenvalue.
      let v = Array.from({ length: N }, () => 1);
      for (let k = 0; k < 500; k++) {
        const hv = matVec(H, v);
        const n = Math.sqrt(dot(hv, hv));
        v = hv.map((x) => x / n);
      }
      return dot(v, matVec(H, v));
    })();
    const { results } = await measureCorruption(probe, { norm, epsilons: [0.1, 1], draws: 2, pgdSteps: 10, seed: 1 });
    for (const r of results) {
      // max over ‖a‖ ≤ ε of gᵀa + ½aᵀHa ≤ ε‖g‖_dual + ½λmax‖a‖₂², with ‖a‖₂ ≤ ε (L2) or ε√n (L∞).
      const radius2 = norm === 'L2' ? r.eps ** 2 : r.eps ** 2 * N;
      expect(r.pgd!.lossIncrease).toBeGreaterThanOrEqual(r.gradient.lossIncrease);
      expect(r.pgd!.lossIncrease).toBeLessThanOrEqual((r.estimate + 0.5 * lambdaMax * radius2) * (1 + 1e-5));
    }
    if (norm === 'L2') {
      // At ε = 1 the curvature turns the best a away from g (g is not an eigenvector of H): ascent beats the one step.
      expect(results[1]!.pgd!.lossIncrease).toBeGreaterThan(results[1]!.gradient.lossIncrease * 1.001);
    } else {
      // A convex function's maximum over the cube is at one of its 2⁷ vertices: the exact worst case, for comparison.
      const g = matVec(H, w0.map((w, i) => w - c[i]!));
      for (const r of results) {
        let exact = -Infinity;
        for (let mask = 0; mask < 2 ** N; mask++) {
          const a = Array.from({ length: N }, (_, i) => ((mask >> i) & 1 ? r.eps : -r.eps));
          exact = Math.max(exact, dot(g, a) + 0.5 * dot(a, matVec(H, a)));
        }
        expect(r.pgd!.lossIncrease).toBeLessThanOrEqual(exact * (1 + 1e-5));
        console.log(`L∞ quadratic ε=${r.eps}: one-step ${r.gradient.lossIncrease.toPrecision(6)}, PGD ${r.pgd!.lossIncrease.toPrecision(6)}, exact max ${exact.toPrecision(6)}`);
      }
    }
  });
});
