/**
 * The seeded generator behind random value specs. Draws must be identical on
 * every machine and Node version, so no Math.random: sfc32 seeded through
 * splitmix32, with 53-bit doubles built from two 32-bit outputs.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

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

export function seededRandom(seed: number): Random {
  // Seeds beyond 32 bits still count: fold the high part in.
  const mix = splitmix32((seed >>> 0) ^ Math.floor(seed / 0x1_0000_0000));
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // warm-up, as sfc32 recommends
  return {
    next: () => ((nextUint32() >>> 5) * 0x4000000 + (nextUint32() >>> 6)) / 0x20000000000000,
  };
}
