/**
 * Seeded initial weights. Values are drawn in JavaScript from the trial's Rng
 * and uploaded, so a seed gives bit-identical starting weights on every
 * backend (cpu, wasm, native), which makes cross-backend comparisons exact.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng';
import type { ModelParam } from './model';

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function uniformValues(rng: Rng, shape: readonly number[], limit: number): Float32Array {
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = rng.uniform(-limit, limit);
  return values;
}

function param(name: string, values: Float32Array, shape: readonly number[]): ModelParam {
  const initial = tf.tensor(values, [...shape], 'float32');
  // Variables get tfjs's automatic unique names: two models in one process must not collide.
  const variable = tf.variable(initial, true);
  initial.dispose(); // the variable holds its own reference to the data
  return { name, variable };
}

/** He (Kaiming) uniform: keeps activation variance through ReLU layers. */
export function heUniform(rng: Rng, name: string, shape: readonly number[], fanIn: number): ModelParam {
  return param(name, uniformValues(rng, shape, Math.sqrt(6 / fanIn)), shape);
}

/** Glorot (Xavier) uniform: for tanh/sigmoid layers and output layers. */
export function glorotUniform(rng: Rng, name: string, shape: readonly number[], fanIn: number, fanOut: number): ModelParam {
  return param(name, uniformValues(rng, shape, Math.sqrt(6 / (fanIn + fanOut))), shape);
}

export function constant(name: string, shape: readonly number[], value = 0): ModelParam {
  return param(name, new Float32Array(sizeOf(shape)).fill(value), shape);
}

/** A constant vector with a different value on [from, to): e.g. an LSTM's forget-gate bias of 1. */
export function piecewiseConstant(name: string, length: number, value: number, from: number, to: number, inside: number): ModelParam {
  const values = new Float32Array(length).fill(value);
  values.fill(inside, from, to);
  return param(name, values, [length]);
}
