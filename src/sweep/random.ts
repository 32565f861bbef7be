/**
 * sweeplab's one seeded generator: sfc32 seeded through splitmix32, with 32-bit
 * integer arithmetic only, so draws are identical on every machine and Node
 * version (no Math.random anywhere). The sweep language draws random value specs
 * from it (seededRandom), and trials draw everything from it through
 * experiments/rng.ts (derived seeds, shuffles). It lives here because the sweep
 * language depends on nothing else in src/.
 */

/** splitmix32 step: turns any 32-bit seed into well-mixed state words. */
export function splitmix32(seed: number): () => number {
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
export function fold32(seed: number): number {
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

  /** Uniform in [0, 1) with 53 bits of resolution, from two draws (sampled hyperparameters). */
  next53(): number {
    return ((this.nextUint32() >>> 5) * 0x4000000 + (this.nextUint32() >>> 6)) / 0x20000000000000;
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

/** A source of uniform draws in [0, 1). */
export interface Random {
  next(): number;
}

/** The draws of random value specs: 53-bit uniforms from the seed's stream. */
export function seededRandom(seed: number): Random {
  const rng = new Rng(seed);
  return { next: () => rng.next53() };
}
