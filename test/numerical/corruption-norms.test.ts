/**
 * The corruptions have exactly the requested norm (issue 4, item 5), jointly
 * over every targeted tensor, and the parameters and targets are checked.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/experiments/backend';
import { gradientDirection, randomDirection } from '../../src/experiments/corruption/directions';
import { jointNorm, scaleAll, type NormName } from '../../src/experiments/corruption/norms';
import { corruptionParams, parseEpsilons } from '../../src/experiments/corruption/params';
import { pgdStep } from '../../src/experiments/corruption/pgd';
import { batchCorruption } from '../../src/experiments/corruption/resistant';
import { targetParams } from '../../src/experiments/corruption/targets';
import { TrialInputError } from '../../src/experiments/errors';
import { buildModel } from '../../src/experiments/models/build';
import { Rng } from '../../src/experiments/rng';

beforeAll(async () => {
  await initBackend();
});

const SHAPES = [[30, 20], [20], [20, 10], [10]] as const;
const NORMS: NormName[] = ['L2', 'Linf'];

/** A gradient-like list of tensors with a few exact zeros (dead units), as real gradients have. */
function fakeGradient(seed: number): tf.Tensor[] {
  const rng = new Rng(seed);
  return SHAPES.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(Float32Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 0 : rng.normal() * 1e-3)), [...shape]);
  });
}

describe('corruption norms', () => {
  it.each(NORMS)('the gradient-based corruption ε·d has %s norm ε at every ε, and Δ̂ is ε times the dual norm', (norm) => {
    const gradient = fakeGradient(1);
    const { direction, dualNorm } = gradientDirection(gradient, norm);
    const gL1 = gradient.reduce((s, g) => s + Array.from(g.dataSync()).reduce((a, v) => a + Math.abs(v), 0), 0);
    const gL2 = Math.sqrt(gradient.reduce((s, g) => s + Array.from(g.dataSync()).reduce((a, v) => a + v * v, 0), 0));
    expect(dualNorm).toBeCloseTo(norm === 'L2' ? gL2 : gL1, 10);
    for (const eps of [1e-4, 0.01, 0.5, 3]) {
      const a = scaleAll(direction, eps);
      expect(Math.abs(jointNorm(a, norm) - eps) / eps).toBeLessThan(1e-6);
      // The corruption is aligned with the gradient: gᵀa = ε‖g‖_dual, the first-order increase.
      const dot = a.reduce((s, ai, i) => s + Array.from(ai.dataSync()).reduce((acc, v, j) => acc + v * gradient[i]!.dataSync()[j]!, 0), 0);
      expect(Math.abs(dot - eps * dualNorm) / (eps * dualNorm)).toBeLessThan(1e-5);
      tf.dispose(a);
    }
    tf.dispose([...gradient, ...direction]);
  });

  it.each(NORMS)('a random corruption has %s norm ε, spans every tensor, and differs between seeds', (norm) => {
    const shapes = SHAPES.map((s) => [...s]);
    const u1 = randomDirection(new Rng(5), shapes, norm);
    const u1again = randomDirection(new Rng(5), shapes, norm);
    const u2 = randomDirection(new Rng(6), shapes, norm);
    for (const eps of [1e-3, 0.2, 7]) {
      const a = scaleAll(u1, eps);
      expect(Math.abs(jointNorm(a, norm) - eps) / eps).toBeLessThan(1e-6);
      tf.dispose(a);
    }
    expect(u1.map((t) => t.shape)).toEqual(shapes);
    for (const t of u1) expect(jointNorm([t], 'L2')).toBeGreaterThan(0);
    expect(u1again.map((t) => Array.from(t.dataSync()))).toEqual(u1.map((t) => Array.from(t.dataSync())));
    expect(u2.map((t) => Array.from(t.dataSync()))).not.toEqual(u1.map((t) => Array.from(t.dataSync())));
    tf.dispose([...u1, ...u1again, ...u2]);
  });

  it.each(NORMS)('a PGD step stays inside the %s ball of radius ε', (norm) => {
    const eps = 0.05;
    const gradient = fakeGradient(2);
    const { direction } = gradientDirection(gradient, norm);
    let a = scaleAll(direction, eps);
    const other = fakeGradient(3);
    for (let k = 0; k < 4; k++) {
      const next = pgdStep(a, other, norm, eps, 2.5 * eps / 4);
      tf.dispose(a);
      a = next;
      expect(jointNorm(a, norm)).toBeLessThanOrEqual(eps * (1 + 1e-6));
    }
    // Moving far along another gradient ends on the boundary of the ball.
    expect(jointNorm(a, norm)).toBeGreaterThan(eps * (1 - 1e-6));
    tf.dispose([...gradient, ...direction, ...other, ...a]);
  });

  it.each(NORMS)("resistant training's per-batch corruption has %s norm ε", (norm) => {
    const gradient = fakeGradient(4);
    const a = tf.tidy(() => batchCorruption(gradient, norm, 0.02).map((t) => tf.keep(t)));
    expect(Math.abs(jointNorm(a, norm) - 0.02) / 0.02).toBeLessThan(1e-5);
    tf.dispose([...gradient, ...a]);
  });

  it('refuses a zero gradient instead of dividing by zero', () => {
    const zero = [tf.zeros([3, 3])];
    expect(() => gradientDirection(zero, 'L2')).toThrow(/norm 0/);
    tf.dispose(zero);
  });
});

describe('corruption parameters', () => {
  it('parses the ε list and refuses bad ones with the reason', () => {
    expect(parseEpsilons('1e-3, 0.01,2')).toEqual([1e-3, 0.01, 2]);
    expect(corruptionParams.parse({}).epsilons).toBe('0.01,0.03,0.1,0.3,1');
    for (const bad of ['', '0.1,,0.2', '0.1,-1', 'abc', '0.1,0.1', '0']) {
      const result = corruptionParams.safeParse({ epsilons: bad });
      expect(result.success, bad).toBe(false);
    }
    expect(corruptionParams.safeParse({ draws: 3 }).success).toBe(false);
    expect(corruptionParams.safeParse({ target: 'Dense0' }).success).toBe(false);
    expect(corruptionParams.safeParse({ epsilon: '0.1' }).success).toBe(false); // strict: typos refused
  });

  it('targets a layer, one parameter, or all, and names the choices when the name is unknown', () => {
    const mlp = buildModel('mlp', { width: 4, depth: 2, seed: 1 });
    const cnn = buildModel('cnn', { width: 2, seed: 1 });
    expect(targetParams(mlp, 'all').map((p) => p.name)).toEqual(mlp.params.map((p) => p.name));
    expect(targetParams(mlp, 'dense1').map((p) => p.name)).toEqual(['dense1/kernel', 'dense1/bias']);
    expect(targetParams(cnn, 'conv0/kernel').map((p) => p.name)).toEqual(['conv0/kernel']);
    expect(() => targetParams(mlp, 'conv0')).toThrow(TrialInputError);
    expect(() => targetParams(mlp, 'conv0')).toThrow(/dense0, dense1, dense2/);
    mlp.dispose();
    cnn.dispose();
  });
});
