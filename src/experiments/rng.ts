/**
 * Seeded randomness for trials. A trial is a pure function of its spec and
 * seed, so nothing in an experiment may use Math.random: every draw (data
 * subsets, initial weights, batch order, noise) comes from an Rng derived from
 * the trial's seed with `deriveSeed(seed, 'purpose')`, so that adding a new use
 * of randomness does not shift the streams of the existing ones.
 *
 * The generator is sweeplab's one seeded generator (sweep/random.ts: sfc32
 * seeded through splitmix32, identical on every platform).
 */
import { fold32, Rng, splitmix32 } from '../sweep/random';

export { Rng };

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A new 32-bit seed for one purpose of a trial, e.g. `deriveSeed(seed, 'init')`,
 * `deriveSeed(seed, 'batches', epoch)`. Different labels give unrelated streams.
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let state = fold32(seed);
  for (const label of labels) {
    state = splitmix32(state ^ fnv1a(String(label)))();
  }
  return state >>> 0;
}

/** Anything indexable and writable: arrays and typed arrays. */
export interface IndexedSequence<V> {
  readonly length: number;
  [index: number]: V;
}

/** Shuffles `items` in place (Fisher–Yates). */
export function shuffleInPlace<V>(items: IndexedSequence<V>, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as V;
    items[i] = items[j] as V;
    items[j] = tmp;
  }
}

/** A seeded permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  shuffleInPlace(indices, rng);
  return indices;
}

/**
 * `k` distinct indices from 0..n-1, drawn uniformly in a seeded order (a
 * partial Fisher–Yates: the first k positions of a full shuffle).
 */
export function sampleIndices(n: number, k: number, rng: Rng): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new RangeError(`sampleIndices: cannot draw ${k} of ${n} items`);
  }
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = tmp;
  }
  return indices.slice(0, k);
}
