/**
 * The SZT data set (src/experiments/infoflow/szt.ts): all 4,096 distinct binary
 * patterns, the labelling rule (a rotation-invariant score thresholded), the
 * per-count label shares of the published data set, the class balance and the split.
 */
import { describe, expect, it } from 'vitest';
import { TrialInputError } from '../../src/experiments/errors';
import { ICOSAHEDRON, SZT_PATTERNS, SZT_THRESHOLD, sztAll, sztBits, sztLabel, sztScore, sztSplit } from '../../src/experiments/infoflow/szt';

const all = sztAll();

function patternKey(images: Float32Array, k: number): string {
  return Array.from(images.subarray(k * 12, (k + 1) * 12)).join('');
}

describe('the SZT data set', () => {
  it('holds the 4,096 distinct patterns of 12 binary inputs, example k being pattern k', () => {
    expect(all.count).toBe(SZT_PATTERNS);
    expect(all).toMatchObject({ name: 'szt', features: 12, height: 1, width: 12, numClasses: 2 });
    expect(all.images.every((v) => v === 0 || v === 1)).toBe(true);
    const keys = new Set(Array.from({ length: all.count }, (_, k) => patternKey(all.images, k)));
    expect(keys.size).toBe(SZT_PATTERNS);
    expect(Array.from(all.images.subarray(5 * 12, 6 * 12))).toEqual(sztBits(5));
    expect(sztBits(5)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('places 12 unit points on the sphere as a regular icosahedron, centred', () => {
    expect(ICOSAHEDRON).toHaveLength(12);
    const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
    for (const p of ICOSAHEDRON) expect(Math.hypot(...p)).toBeCloseTo(1, 12);
    for (let k = 0; k < 3; k++) expect(ICOSAHEDRON.reduce((s, p) => s + p[k]!, 0)).toBeCloseTo(0, 12);
    // Each vertex has 5 neighbours at cos = 1/√5, 5 at −1/√5 and its antipode at −1.
    for (const p of ICOSAHEDRON) {
      const cosines = ICOSAHEDRON.map((q) => dot(p, q)).sort((a, b) => a - b);
      expect(cosines[0]).toBeCloseTo(-1, 12);
      for (let i = 1; i <= 5; i++) expect(cosines[i]).toBeCloseTo(-1 / Math.sqrt(5), 12);
      for (let i = 6; i <= 10; i++) expect(cosines[i]).toBeCloseTo(1 / Math.sqrt(5), 12);
      expect(cosines[11]).toBeCloseTo(1, 12);
    }
  });

  it('labels by Σx + ‖Σ x_i p_i‖ > 7.6, a score unchanged by a rotation of the points', () => {
    for (const k of [0, 1, 63, 1234, 4095]) {
      const bits = sztBits(k);
      const count = bits.reduce((a, b) => a + b, 0);
      const resultant = [0, 1, 2].map((c) => bits.reduce((s, bit, i) => s + bit * ICOSAHEDRON[i]![c]!, 0));
      expect(sztScore(bits)).toBeCloseTo(count + Math.hypot(...resultant), 12);
      expect(sztLabel(k)).toBe(count + Math.hypot(...resultant) > SZT_THRESHOLD ? 1 : 0);
      expect(all.labels[k]).toBe(sztLabel(k));
    }
    // A rotation (about an axis through two vertices' midpoint, any angle) leaves the score's resultant length unchanged.
    const angle = 0.7;
    const rotate = ([x, y, z]: readonly number[]) => [Math.cos(angle) * x! - Math.sin(angle) * y!, Math.sin(angle) * x! + Math.cos(angle) * y!, z!];
    const rotated = ICOSAHEDRON.map(rotate);
    for (const k of [7, 100, 2047, 3000]) {
      const bits = sztBits(k);
      const r = [0, 1, 2].map((c) => bits.reduce((s, bit, i) => s + bit * rotated[i]![c]!, 0));
      expect(bits.reduce((a, b) => a + b, 0) + Math.hypot(...r)).toBeCloseTo(sztScore(bits), 12);
    }
    // No score lies near the threshold: the labels do not hang on rounding.
    const margin = Math.min(...Array.from({ length: SZT_PATTERNS }, (_, k) => Math.abs(sztScore(sztBits(k)) - SZT_THRESHOLD)));
    expect(margin).toBeGreaterThan(0.03);
  });

  it('matches the published data set per number of active inputs, and is balanced 2118 : 1978', () => {
    const ones = new Array<number>(13).fill(0);
    const totals = new Array<number>(13).fill(0);
    for (let k = 0; k < all.count; k++) {
      const count = sztBits(k).reduce((a, b) => a + b, 0);
      totals[count]!++;
      ones[count]! += all.labels[k]!;
    }
    // All 0 up to 4 active inputs, all 1 from 8; 60/792, 532/924 and 732/792 at 5, 6, 7.
    expect(ones).toEqual([0, 0, 0, 0, 0, 60, 532, 732, 495, 220, 66, 12, 1]);
    expect(totals.slice(5, 8)).toEqual([792, 924, 792]);
    const positives = all.labels.reduce((a, b) => a + b, 0);
    expect(positives).toBe(2118);
    expect(positives / all.count).toBeCloseTo(0.517, 3);
  });

  it('splits the patterns by a seed, disjoint and complete', () => {
    const { train, test } = sztSplit(0.8, 42);
    expect(train.count).toBe(3277);
    expect(test.count).toBe(819);
    const keys = (d: typeof train) => Array.from({ length: d.count }, (_, k) => patternKey(d.images, k));
    const union = new Set([...keys(train), ...keys(test)]);
    expect(union.size).toBe(SZT_PATTERNS);
    expect(sztSplit(0.8, 42).train.images).toEqual(train.images);
    expect(sztSplit(0.8, 43).train.images).not.toEqual(train.images);
    // Labels travel with their patterns.
    for (let k = 0; k < 20; k++) {
      const pattern = parseInt(patternKey(test.images, k).split('').reverse().join(''), 2);
      expect(test.labels[k]).toBe(sztLabel(pattern));
    }
    expect(() => sztSplit(1, 1)).toThrow(TrialInputError);
  });
});
