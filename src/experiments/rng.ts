/**
 * Seeded randomness for trials. A trial is a pure function of its spec and
 * seed, so nothing in an experiment may use Math.random: every draw (data
 * subsets, initial weights, batch order, noise) comes from an Rng derived from
 * the trial's seed with `deriveSeed(seed, 'purpose')`, so that adding a new use
 * of randomness does not shift the streams of the existing ones.
 *
 * The generator is sfc32 seeded through splitmix32: fast, 128-bit state,
 * identical on every platform (32-bit integer arithmetic only).
 */

/** splitmix32 step: turns any 32-bit seed into well-mixed state words. */
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Folds a seed of any size (up to 2^53) into 32 bits, keeping the high part. */
function fold32(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const s = Math.trunc(Math.abs(seed));
  return ((s >>> 0) ^ Math.imul(Math.floor(s / 0x1_0000_0000) >>> 0, 0x9e3779b1)) >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Second value of the last Box–Muller pair, if unused. */
  private spareNormal: number | undefined;

  constructor(seed: number) {
    const mix = splitmix32(fold32(seed));
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.nextUint32(); // warm-up, as sfc32 recommends
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 32 bits of resolution (plenty for float32 weights and shuffles). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    // Rejection sampling over the largest multiple of n below 2^32.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /** Standard normal draw (Box–Muller, both values used). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    // 1 - next() is in (0, 1], so the log is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }
}

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
