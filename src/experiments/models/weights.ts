/**
 * A model's parameters as named float32 arrays and back: what a trained-model
 * artifact stores (encoded by artifacts/weights-codec.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from '../artifacts/weights-codec';
import type { Model } from './model';

/** The values of every parameter, by name, in layer order. */
export async function exportWeights(model: Model): Promise<NamedArray[]> {
  return Promise.all(
    model.params.map(async (p) => ({ name: p.name, shape: [...p.variable.shape], values: (await p.variable.data()) as Float32Array })),
  );
}

/** Sets every parameter of `model` from `arrays`; throws, changing nothing, unless names and shapes match exactly. */
export function assignWeights(model: Model, arrays: readonly NamedArray[]): void {
  const mismatch =
    arrays.length !== model.params.length ||
    arrays.some((a, i) => a.name !== model.params[i]!.name || a.shape.join('x') !== model.params[i]!.variable.shape.join('x'));
  if (mismatch) {
    const want = model.params.map((p) => `${p.name}[${p.variable.shape}]`).join(', ');
    const got = arrays.map((a) => `${a.name}[${a.shape}]`).join(', ');
    throw new Error(`stored weights do not fit this ${model.arch}: it has ${want}; stored ${got}`);
  }
  model.params.forEach((p, i) => tf.tidy(() => p.variable.assign(tf.tensor(arrays[i]!.values, p.variable.shape, 'float32'))));
}
