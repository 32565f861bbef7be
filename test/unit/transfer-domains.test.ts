/**
 * The PTU study's domains: transforms are deterministic pure functions with
 * the geometry they claim, class ranges are relabelled, and source and target
 * draw from disjoint halves of a training split.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fashionMnistAvailable } from '../../src/experiments/data/fashion-mnist';
import { DOMAINS, loadDomain, PAIRS } from '../../src/experiments/transfer/domains';
import { areaResize, downUp, invert, rotate, transformImage, TRANSFORM_NAMES } from '../../src/experiments/transfer/transforms';

const SIDE = 28;

/** A 28×28 test image: a bright off-centre bar. */
function bar(): Float32Array {
  const image = new Float32Array(SIDE * SIDE);
  for (let y = 4; y < 20; y++) for (let x = 10; x < 13; x++) image[y * SIDE + x] = 1;
  return image;
}

function hash(values: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
}

describe('transforms', () => {
  it('each transform gives bit-identical output on repeated calls and leaves its input alone', () => {
    for (const name of TRANSFORM_NAMES) {
      const input = bar();
      const before = hash(input);
      const a = transformImage(name, input, SIDE, SIDE);
      const b = transformImage(name, bar(), SIDE, SIDE);
      expect(hash(a), name).toBe(hash(b));
      expect(hash(input), name).toBe(before);
      expect(a.length).toBe(SIDE * SIDE);
      expect(a.every((v) => v >= 0 && v <= 1 + 1e-6), name).toBe(true);
    }
  });

  it('rotating by 0° is the identity and by 90° four times comes back (up to float error)', () => {
    expect(rotate(bar(), SIDE, SIDE, 0)).toEqual(bar());
    let image = bar();
    for (let i = 0; i < 4; i++) image = rotate(image, SIDE, SIDE, 90);
    bar().forEach((v, i) => expect(image[i]).toBeCloseTo(v, 4));
  });

  it('rotating by 90° turns a vertical bar horizontal', () => {
    const turned = rotate(bar(), SIDE, SIDE, 90);
    const rowMass = (img: Float32Array, y: number) => img.subarray(y * SIDE, (y + 1) * SIDE).reduce((a, b) => a + b, 0);
    const rows = Array.from({ length: SIDE }, (_, y) => rowMass(turned, y));
    // The vertical bar spans 16 rows; rotated, its mass sits in about 3 rows.
    expect(rows.filter((m) => m > 0.5).length).toBeLessThanOrEqual(4);
    expect(rotate(bar(), SIDE, SIDE, 30)).not.toEqual(bar());
    expect(rotate(bar(), SIDE, SIDE, 30)).not.toEqual(rotate(bar(), SIDE, SIDE, 45));
  });

  it('inversion is an involution', () => {
    expect(invert(invert(bar()))).toEqual(bar());
    expect(invert(bar())[0]).toBe(1);
  });

  it('the 8×8 bottleneck keeps mean brightness, blurs detail, and keeps a constant image constant', () => {
    const small = areaResize(bar(), SIDE, SIDE, 8, 8);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(small)).toBeCloseTo(mean(bar()), 5);
    const back = downUp(bar(), SIDE, SIDE);
    expect(back).not.toEqual(bar());
    expect(back.filter((v) => v > 0 && v < 1).length).toBeGreaterThan(20); // edges became grey
    const flat = new Float32Array(SIDE * SIDE).fill(0.25);
    downUp(flat, SIDE, SIDE).forEach((v) => expect(v).toBeCloseTo(0.25, 5));
  });
});

describe('domains', () => {
  it('every pair names known domains', () => {
    for (const [name, { source, target }] of Object.entries(PAIRS)) {
      expect(DOMAINS[source], name).toBeDefined();
      expect(DOMAINS[target], name).toBeDefined();
    }
    expect(Object.keys(PAIRS)).toHaveLength(7);
  });

  it('a domain subset is a deterministic function of its seed and applies the transform', () => {
    const a = loadDomain(DOMAINS['mnist-rot30'], 'train', 'target', 50, 9);
    const b = loadDomain(DOMAINS['mnist-rot30'], 'train', 'target', 50, 9);
    const plain = loadDomain(DOMAINS.mnist, 'train', 'target', 50, 9);
    expect(hash(a.images)).toBe(hash(b.images));
    expect(a.labels).toEqual(b.labels);
    expect(a.labels).toEqual(plain.labels); // same examples, rotated
    expect(a.images.subarray(0, 784)).toEqual(rotate(plain.images.subarray(0, 784), SIDE, SIDE, 30));
    expect(a.name).toBe('mnist-rot30');
    expect(hash(loadDomain(DOMAINS['mnist-rot30'], 'train', 'target', 50, 10).images)).not.toBe(hash(a.images));
  });

  it('source and target draw from disjoint halves of the training split', () => {
    const source = loadDomain(DOMAINS.mnist, 'train', 'source', 4000, 1);
    const target = loadDomain(DOMAINS.mnist, 'train', 'target', 4000, 1);
    const seen = new Set<string>();
    for (let i = 0; i < source.count; i++) seen.add(hash(source.images.subarray(i * 784, (i + 1) * 784)));
    let shared = 0;
    for (let i = 0; i < target.count; i++) if (seen.has(hash(target.images.subarray(i * 784, (i + 1) * 784)))) shared++;
    expect(shared).toBe(0);
    expect(() => loadDomain(DOMAINS.mnist, 'train', 'target', 4001, 1)).toThrow(/4000/);
  });

  it.skipIf(!fashionMnistAvailable())('fashion 5–9 is relabelled 0–4 with five classes', () => {
    const data = loadDomain(DOMAINS['fashion-5-9'], 'test', 'target', 500, 1);
    expect(data.numClasses).toBe(5);
    expect(Math.min(...data.labels)).toBe(0);
    expect(Math.max(...data.labels)).toBe(4);
    expect(new Set(data.labels).size).toBe(5);
  });
});
